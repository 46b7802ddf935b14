"""The words an English speaker writes, keyed by what they mean.

Written folded, as the flows compare them: lower case, no apostrophes ("i dont
accept"), single spaces. Every language's words are accepted everywhere, so these
are read together with the Spanish ones (`bot_flows.texts.recognised`).
"""

WORDS: dict[str, tuple[str, ...]] = {
    # Understood in every state of the patient's conversation
    "menu": ("menu", "main menu"),
    "help": ("help", "help me"),
    "language.es": ("spanish", "in spanish"),
    "language.en": ("english", "in english"),
    # Telling a patient's language from what they write (bot_flows/language.py): words
    # one language uses and the other does not ("no", "ok", "me" and "a" are in both).
    "language.detect.es": (),
    "language.detect.en": (
        "hi", "hello", "hey", "good morning", "good afternoon", "good evening", "appointment",
        "book", "booking", "id like", "i would like", "i want", "i need", "please", "thanks",
        "thank you", "doctor visit", "the", "and", "my", "i", "im", "ive", "have", "has",
        "is", "it", "its", "for", "with", "since", "this", "that", "what", "when", "how",
        "can", "could", "would", "you", "your", "of", "to", "in", "an", "not", "dont",
        "yes", "none", "nothing", "pain", "hurts", "sore", "throat", "fever", "cough",
        "headache", "days", "yesterday", "today", "tomorrow", "week", "take", "taking",
        "allergic", "feel", "feeling", "been",
    ),
    # Thanks and acknowledgements: answered kindly, without the whole menu again.
    "thanks": (
        "thanks", "thank you", "thanks a lot", "thx", "ok", "okay", "ok thanks", "great",
        "perfect", "cool", "got it", "sounds good", "understood", "all good",
    ),
    "thanks.word": ("thanks", "thank", "thx", "ty"),
    "courtesy": ("you", "so", "much", "a", "lot", "ok", "okay", "great", "doc", "doctor", "very"),
    "greeting": ("hi", "hello", "hey", "good morning", "good afternoon", "good evening"),
    # Numbered choices: "two", "option 2"
    "number.1": ("one",),
    "number.2": ("two",),
    "number.3": ("three",),
    "number.4": ("four",),
    "number.5": ("five",),
    "number.6": ("six",),
    "number.7": ("seven",),
    "number.8": ("eight",),
    "number.9": ("nine",),
    "number.10": ("ten",),
    "number.11": ("eleven",),
    "number.12": ("twelve",),
    "option": ("option", "number"),
    # Numbers in words beyond the options', for ages ("twenty-nine")
    "number.13": ("thirteen",),
    "number.14": ("fourteen",),
    "number.15": ("fifteen",),
    "number.16": ("sixteen",),
    "number.17": ("seventeen",),
    "number.18": ("eighteen",),
    "number.19": ("nineteen",),
    "number.20": ("twenty",),
    "number.21": (),
    "number.22": (),
    "number.23": (),
    "number.24": (),
    "number.25": (),
    "number.26": (),
    "number.27": (),
    "number.28": (),
    "number.29": (),
    "number.30": ("thirty",),
    "number.40": ("forty", "fourty"),
    "number.50": ("fifty",),
    "number.60": ("sixty",),
    "number.70": ("seventy",),
    "number.80": ("eighty",),
    "number.90": ("ninety",),
    "number.100": ("hundred", "a hundred", "one hundred"),
    "number.and": ("and",),
    # Yes and no: consent, the health questions' gate, cancelling
    "consent.yes": ("i agree", "agree", "ok sure", "sure thing", "i consent"),
    "consent.no": ("i dont agree", "i do not agree", "dont agree", "disagree"),
    "agree.emoji": ("👍", "👌", "✅", "🆗"),
    "but": ("but",),
    "yes": ("yes", "ok", "okay", "sure", "accept", "yes please", "i accept", "yes i accept"),
    "no": ("no", "nope", "decline", "no thanks", "i dont accept", "i do not accept"),
    # Nothing to declare: optional intake questions
    "none": ("no", "none", "nothing", "n/a", "na"),
    # Leaving a question the practice made optional unanswered
    "skip": ("skip", "pass", "prefer not to answer", "rather not say"),
    # A time typed instead of its number: English says "4 pm" (a.m. and p.m. are read
    # in every language), so no words name the part of the day.
    "clock.morning": (),
    "clock.afternoon": (),
    "clock.night": (),
    "clock.hours": ("h", "hr", "hrs"),
    # The main menu
    "main_menu.book": ("book",),
    "main_menu.bookings": ("my appointments",),
    "main_menu.change": ("cancel", "reschedule"),
    "main_menu.person": ("human", "person", "agent", "talk"),
    # Booking: the day's next times, and the summary before sending
    "more_times": (
        "more", "more times", "other times", "later", "none of these", "none of those",
        "none of these work", "something later", "anything later",
    ),
    # Before a bare number, these make it an hour ("a las 10"), never an option's position.
    "time.at": ("at", "around", "about", "at about", "at around", "by"),
    # Understanding what a patient asks for in words, at the menu or mid-booking.
    "intent.book": (
        "appointment", "an appointment", "book", "booking", "schedule", "make an appointment",
        "see the doctor", "a visit", "checkup", "check up", "reserve", "appt", "an appt",
        "available", "anything", "availability", "doctors note", "a doctors note", "prenatal check",
    ),
    "intent.bookings": (
        "my appointments", "my appointment", "when is my appointment", "see my appointments",
        "i have an appointment", "my booking", "my bookings",
    ),
    "intent.change": (
        "cancel", "reschedule", "change", "move", "postpone", "cant make it", "cannot make it",
        "cant come", "wont make it",
    ),
    "intent.person": (
        "talk to", "speak to", "speak with", "talk with", "a person", "a human", "human",
        "someone", "somebody", "receptionist", "call me", "the doctor directly",
    ),
    "day.after_tomorrow": ("day after tomorrow", "the day after tomorrow"),
    "day.next": ("next", "coming"),
    "week.next": ("next week", "the week after", "the following week", "following week"),
    "week.this": ("this week",),
    "more_days": (
        "more days", "other days", "another day", "other dates", "another date", "later dates",
        "none", "none of these", "none of them", "none work", "different day",
    ),
    "part.morning": ("in the morning", "morning", "early", "am", "mornings"),
    "part.afternoon": ("in the afternoon", "afternoon", "evening", "in the evening", "pm"),
    "time.earliest": (
        "asap", "as soon as possible", "earliest", "the earliest", "first available",
        "the first one", "soonest", "any", "whatever", "anything",
    ),
    "time.noon": ("noon", "midday"),
    "time.half": ("thirty", "and a half"),
    "time.quarter": ("fifteen", "quarter past"),
    "time.quarter_to": ("quarter to",),
    "summary.send": ("confirm", "yes", "ok", "send", "looks good", "all good", "correct"),
    "summary.restart": ("start over", "restart", "wrong", "fix"),
    "summary.discard": ("cancel", "never mind", "nevermind", "forget it"),
    "summary.change": ("change my details", "change details", "update my details", "change them"),
    # The intake
    # How people start their name ("Me llamo Ana Pérez"): not part of it.
    "name.intro": (
        "my name is", "my name", "i am", "im", "name", "this is", "its", "my full name is",
        "full name",
    ),
    "name.courtesy": ("mrs", "mr", "ms", "miss"),
    "name.particle": (),
    "age.years": ("years", "year", "yrs", "yo", "years old", "age"),
    "age.other_units": ("months", "month", "weeks", "week", "days", "kids", "children", "pounds"),
    "age.approximate": ("almost", "about", "around", "nearly", "like", "ish", "or so"),
    "age.turning": ("turning", "ill turn", "ill be", "turn", "turns"),
    "sex.female": ("female", "woman", "f"),
    "sex.male": ("male", "man", "m"),
    "sex.other": ("other", "prefer not to say"),
    "urgency.low": ("low",),
    "urgency.normal": ("normal",),
    "urgency.high": ("high",),
    "urgency.urgent": ("urgent",),
    "urgency.calm": ("no rush", "no hurry", "not serious", "nothing serious"),
    "urgency.between": ("kinda urgent", "kind of urgent", "sort of urgent", "somewhat urgent"),
    # Said of urgency, these mean the opposite of the urgency word they hold.
    "urgency.negated": (
        "not urgent", "not very urgent", "not that urgent", "no urgency", "non urgent",
        "nonurgent", "isnt urgent", "its not urgent", "it is not urgent", "not an emergency",
        "not high",
    ),
    "negation": ("no", "not", "non", "isnt", "nothing"),
    "contact.whatsapp": ("whatsapp", "wa"),
    "contact.phone": ("phone", "call"),
    "contact.email": ("email", "mail", "e mail"),
    # A booking already made: change it, cancel it, answer its reminder
    "action.cancel": ("cancel",),
    "action.move": ("reschedule", "move", "change"),
    "cancel.confirm": ("yes cancel", "cancel", "yes withdraw it", "withdraw"),
    "cancel.keep": ("no keep it", "keep it", "keep"),
    "reminder.confirm": (
        "confirm", "yes", "ok", "see you then", "see you", "ill be there", "confirmed",
    ),
    "reminder.cancel": ("cancel",),
    "reminder.change": ("reschedule", "change", "move", "another day"),
    # The waitlist: asking for it at the day or time question, and its questions
    "waitlist": (
        "let me know if something opens up", "let me know if a time opens up",
        "tell me if something opens up", "if someone cancels", "waiting list", "waitlist",
        "let me know", "notify me", "put me on the list",
    ),
    "waitlist.morning": ("morning", "mornings", "in the morning", "early"),
    "waitlist.afternoon": ("afternoon", "afternoons", "in the afternoon", "evening"),
    "waitlist.any": (
        "any", "any time", "anytime", "whenever", "doesnt matter", "yes", "ok", "sure",
        "all day",
    ),
    "waitlist.no": ("no", "no thanks", "no thank you", "not needed"),
    "offer.take": (
        "yes", "i want it", "yes i want it", "take it", "ill take it", "ok", "sure",
        "yes please", "book it", "accept",
    ),
    "offer.pass": ("no", "no thanks", "not this one", "pass", "i cant", "doesnt suit me"),
    "offer.leave": (
        "leave", "leave the list", "take me off the list", "remove me", "stop notifying me",
        "dont notify me",
    ),
    "move.confirm": ("yes move it", "move it", "yes move", "move"),
    "move.keep": (
        "no leave it as it is", "leave it as it is", "leave it", "no leave it", "keep it",
        "dont move it", "no dont move it",
    ),
    # The doctor's commands: the first word, or two ("no show")
    "command.approve": ("approve", "yes"),
    "command.reject": ("reject", "no"),
    "command.pending": ("pending",),
    "command.agenda": ("agenda",),
    "command.cancel": ("cancel",),
    "command.complete": ("completed", "done"),
    "command.no_show": ("no-show", "noshow", "no show"),
    "command.note": ("note",),
    "command.block": ("block",),
    "command.unblock": ("unblock",),
    "command.resume": ("resume",),
    "command.forgive": ("forgive",),
    "command.summary": ("summary",),
    "command.reply": ("reply",),
    "command.help": ("help",),
    "command.team": ("team",),
    # The doctor's arguments: a day, a note's type, a private note
    "period.week": ("week",),
    "period.month": ("month",),
    "day.today": ("today",),
    "day.tomorrow": ("tomorrow", "tmrw", "tmr", "tomorow"),
    "note.diagnosis": ("diagnosis",),
    "note.treatment": ("treatment",),
    "note.follow_up": ("follow-up", "followup"),
    "note.prescription": ("prescription",),
    "note.private": ("private",),
    # MY DATA, at the menu: phrases matched as whole words
    "my_data": (
        "my data", "my personal data", "delete my data", "erase my data",
        "withdraw consent", "withdraw my consent", "my information",
        "i dont want you to use my data",
    ),
    "my_data.fix": ("correct", "correct my data"),
    "my_data.withdraw": ("withdraw", "withdraw consent"),
    "my_data.erase": ("erase", "delete", "erase my data", "delete my data"),
    "my_data.back": ("back", "go back"),
    "fix.name": ("name", "my name"),
    "fix.age": ("age", "my age"),
    "fix.sex": ("sex", "my sex", "gender"),
}  # fmt: skip

# Emergency signs: regular expressions over folded text, each matched as whole words
# ("can't" is "cant").
PATTERNS: dict[str, tuple[str, ...]] = {
    "red_flag.chest_pain": (
        r"chest (?:pain|pains|tightness|pressure|hurts)",
        r"(?:pain|pressure|tightness) in (?:my |the )?chest",
        r"my chest (?:hurts|is tight)",
        r"tight chest",
        r"heart attack",
    ),
    "red_flag.breathing": (
        r"(?:cant|cannot|can not) breathe?",
        r"(?:not|isnt|wasnt|stopped) breathing",
        r"(?:difficulty|trouble|struggling|hard to) breath(?:e|ing)",
        r"short(?:ness)? of breath",
        r"choking",
    ),
    "red_flag.bleeding": (
        r"heavy bleeding",
        r"bleeding (?:heavily|a lot|badly|wont stop|will not stop)",
        r"(?:wont|will not|doesnt|does not) stop bleeding",
        r"ha?emorrhag\w*",
        r"(?:lots|a lot) of blood",
        r"(?:vomiting|coughing|throwing up) blood",
    ),
    "red_flag.unconscious": (
        r"passed out",
        r"faint(?:ed|ing)",
        r"unconscious",
        r"(?:lost|loss of|losing) consciousness",
        r"blacked out",
        r"unresponsive",
        r"seizures?",
    ),
    "red_flag.stroke": (
        r"stroke",
        r"(?:face|mouth) (?:drooping|droops)",
        r"drooping (?:face|mouth)",
        r"slurred speech",
        r"(?:cant|cannot|can not) (?:speak|move (?:my|his|her) (?:arm|leg|face))",
        r"numb(?:ness)? (?:on|in) one side",
        r"paraly[sz]\w*",
    ),
    "red_flag.suicide": (
        r"suicid\w*",
        r"kill myself",
        r"end(?:ing)? my life",
        r"(?:want|wanna) to die",
        r"hurt(?:ing)? myself",
        r"self ?harm",
        r"no reason to live",
        r"better off dead",
    ),
}
