"""The patient sentences: short, warm, numbered; one idea per message."""

TEXTS: dict[str, str] = {
    # Welcome and consent
    "patient.welcome": "Hi! 👋 I'm {doctor}'s assistant. I can help you book an appointment.",
    "patient.welcome_back": "Hi again! 👋 I'm {doctor}'s assistant.",
    "patient.consent": (
        "🔒 Before we start: to book, we keep your name, your number and what you tell us "
        "about your health. Only {doctor} and their team will see it, to care for you; we "
        "share it with no one else. You can ask the practice to delete it at any time.\n\n"
        "Do you accept?\n1. Yes, I accept\n2. I don't accept"
    ),
    "patient.consent_thanks": "Thank you! 🙌",
    "patient.declined": (
        "Understood. We won't keep anything about you. If you change your mind, write to us "
        "any time. 🙏"
    ),
    # Menu and everywhere
    "patient.menu": (
        "What do you need?\n1. Book an appointment\n2. My appointments\n"
        "3. Cancel or reschedule\n4. Talk to the practice"
    ),
    "patient.greeted": "Hi! 👋",
    "patient.you_are_welcome": "You're welcome! 😊 If you need anything else, write *menu*.",
    "patient.not_understood": "Sorry, I didn't get that 🙈 Please answer with an option number.",
    "patient.text_only": "For now I can only read text messages ✍️",
    "patient.language_set": "Sure, we'll continue in English.",
    # Offered under the welcome when the practice or the number's country would have chosen
    # the other language; each is written in the language it offers, in both catalogues.
    "patient.offer_language.es": "Escribe *español* para continuar en español.",
    "patient.offer_language.en": "Reply *English* to continue in English.",
    "patient.idle_reset": (
        "Hi again! 👋 It's been a while, so we're starting over (I deleted your earlier answers)."
    ),
    "patient.emergency": (
        "⚠️ What you describe may be an emergency. Call {phone} now or go to the emergency "
        "room. This chat cannot handle emergencies."
    ),
    "patient.handoff": (
        "Done, I told the practice. They will write to you here as soon as they can. "
        "To go back to the menu, write *menu*."
    ),
    "patient.back": "Hi again! 👋",
    # Help
    "patient.help.consent": (
        "We need your permission to keep your details before booking. Answer *1* to accept "
        "or *2* if you don't. Write *español* to read it in Spanish."
    ),
    "patient.help.menu": (
        "Answer with the number of what you need. At any time: *menu* comes back here, "
        "*help* explains what to do and *español* switches to Spanish. Write *my data* to see, "
        "correct or erase what we keep about you."
    ),
    "patient.help.choose": (
        "Answer with just the option number, for example *1*. Write *menu* to start over."
    ),
    "patient.help.time": (
        "Answer with the number of the time, or type it, for example *10:30*. If none suits "
        "you, write *let me know* and I'll put you on the waiting list. Write *menu* to start "
        "over."
    ),
    "patient.help.write": "Write your answer in your own words. Write *menu* to start over.",
    "patient.help.optional": (
        "Write your answer in your own words, or *no* if it doesn't apply. Write *menu* to "
        "start over."
    ),
    "patient.help.rebook": (
        "Reply with the number of a time, for example *1*: we ask you before sending the "
        "request, with the details you already gave us. For another day write *menu*."
    ),
    "patient.help.age": "Write your age in numbers, for example *34*.",
    "patient.help.email": "Write your full e-mail address, for example *name@example.com*.",
    # Booking: service, day, time
    "patient.services": "Which service do you need?\n{options}",
    "patient.service_option": "{name} ({duration} min)",
    "patient.minutes": "{n} min",
    "patient.no_services": (
        "There are no services to book here for now. Choose *4* to talk to the practice."
    ),
    "patient.days": "📅 Which day suits you?\n{options}",
    "patient.no_days": (
        "Sorry, there are no free times for {service} in the coming days. Choose *4* to talk "
        "to the practice."
    ),
    "patient.no_days_left": "Sorry, there are no free times for {service} in the coming days 😕",
    "patient.day_full": "That day just filled up 😕 Please choose another.",
    "patient.slot_gone": "That time is no longer free 😕 These ones are:",
    "patient.old_list": "That list is no longer current. Please choose from this one:",
    "patient.times": "🕐 What time on {day}?\n{options}",
    "patient.more_times": "More times ➡️",
    "choices.button": "See options",  # opens a WhatsApp list (≤ 20 characters)
    "patient.more_days": "More days ➡️",
    "patient.all_times": "See all times that day",
    "patient.part.morning": "morning",
    "patient.part.afternoon": "afternoon",
    "patient.no_times_in_part": (
        "On {day} there is nothing left in the {part} 😕 Here are all its times."
    ),
    "patient.day_unavailable": (
        "There are no free times on {day} 😕 Here are the nearest free days."
    ),
    "patient.week_unavailable": (
        "That week has no free times left 😕 Here are the nearest free days."
    ),
    "patient.time_not_free": "{time} on {day} is not free 😕 Here are the nearest free times.",
    "patient.which_one": (
        "I'm not sure which one you meant 🤔 Please reply with an option's number."
    ),
    # Intake
    "patient.ask_name": "What is your full name?",
    "patient.ask_age": "How old are you? (just the number)",
    "patient.bad_age": "I need your age in numbers, between 0 and 120.",
    "patient.bad_name": (
        "I need the full name of the person coming to the appointment: first and last name, "
        "theirs only."
    ),
    "patient.ask_sex": "What is your sex?\n1. Female\n2. Male\n3. Other / prefer not to say",
    "patient.ask_reason": (
        "What is the reason for your visit? Tell me your symptoms and since when."
    ),
    "patient.ask_reason_brief": "What is the reason for your visit? A few words are enough.",
    "patient.reason_needed": "Tell us the reason briefly, for example: check-up or sore throat.",
    "patient.ask_symptoms": "What symptoms do you have, and since when? (write *no* if none)",
    "patient.ask_health": (
        "Do you have any illness, take any medication or have any allergy? Reply *no* if "
        "none; if yes, I'll ask about each one."
    ),
    "patient.answer_needed": "The practice needs this answer for your appointment 🙏",
    "patient.ask_history": (
        "Do you have any illness, surgery or other medical history? (write *no* if none)"
    ),
    "patient.ask_medications": "Do you take any medication at the moment? (write *no* if none)",
    "patient.ask_allergies": "Do you have any allergies? (write *no* if none)",
    "patient.ask_urgency": "How urgent is it?\n1. Low\n2. Normal\n3. High\n4. Urgent",
    "patient.ask_contact": (
        "How would you like us to contact you?\n1. WhatsApp\n2. Phone call\n3. E-mail"
    ),
    "patient.ask_email": "What is your e-mail address?",
    "patient.bad_email": "That e-mail doesn't look right. Write it like this: name@example.com",
    "patient.write_words": "Please write it in words ✍️",
    "patient.sex.female": "female",
    "patient.sex.male": "male",
    "patient.sex.other": "other / prefers not to say",
    "patient.contact.whatsapp": "WhatsApp",
    "patient.contact.phone": "phone call",
    "patient.contact.email": "e-mail ({email})",
    "patient.nothing": "none",
    # Summary and request
    "patient.summary": (
        "📋 Please check your request:\n{service}\n{when}\n\n{answers}\n\n1. Confirm\n"
        "2. Start over\n3. Cancel"
    ),
    "patient.summary_kept": (
        "📋 Please check your request:\n{service}\n{when}\n\n{answers}\n\n"
        "🗂️ Your details from last time:\n{kept}\n\n1. Confirm\n2. Start over\n3. Cancel\n"
        "4. Change my details"
    ),
    "patient.field.name": "Name: {value}",
    "patient.field.age": "Age: {value}",
    "patient.field.sex": "Sex: {value}",
    "patient.field.reason": "Reason: {value}",
    "patient.field.symptoms": "Symptoms: {value}",
    "patient.field.history": "Medical history: {value}",
    "patient.field.medications": "Medications: {value}",
    "patient.field.allergies": "Allergies: {value}",
    "patient.field.urgency": "Urgency: {value}",
    "patient.field.contact": "Contact: {value}",
    "patient.discarded": "Done, nothing was sent and I deleted your answers.",
    "patient.requested": (
        "✅ Done! We sent your request *{code}* for {when}. {doctor} will answer before "
        "{deadline}; we'll let you know here.{details}"
    ),
    "patient.booked": "✅ Done! Your appointment *{code}* is confirmed for {when}.{details}",
    "patient.slot_taken": "Oops, someone took that time a moment ago 😕",
    "patient.nearest": "These are the nearest free times:\n{options}",
    # Another time after a rejection or an expiry, with the same answers
    "patient.rebook_options": (
        "These times are still free:\n{options}\n"
        "Reply with a number and we send your request with the same details, or write *menu*."
    ),
    "patient.rebook_confirm": (
        "Send {doctor} a new request for {when}, with the same details as your request "
        "*{code}*?\n1. Yes, send it\n2. No, see the other times"
    ),
    "patient.rebook_gone": "We could not find your earlier request, so we cannot send it again 🙏",
    "patient.rebook_none": (
        "There are no free times near that one any more 😕 You can choose another day from "
        "the menu."
    ),
    "patient.open_request": (
        "You already have a request waiting for an answer {of_the_doctor} (code *{code}*). "
        "We'll let you know as soon as it comes."
    ),
    "patient.chat_closed": (
        "I can't book by chat for you right now 🙏 Since some appointments were missed, "
        "{the_doctor} would rather book with you directly: please call {phone}. "
        "Or write *4* and I'll pass on your message."
    ),
    "patient.chat_closed_no_phone": (
        "I can't book by chat for you right now 🙏 Since some appointments were missed, "
        "{the_doctor} would rather book with you directly. Write *4* and I'll ask them to "
        "write to you."
    ),
    "patient.upcoming_appointment": (
        "You already have an upcoming appointment (code *{code}*); you can have one at a time. "
        "Write *2* to see your appointments or *3* to cancel or change it."
    ),
    "patient.try_again": "Something went wrong on our side 🙏 Please try again in a moment.",
    # My appointments, cancel, reschedule
    "patient.bookings": "📅 Your appointments:\n{bookings}",
    "patient.booking_line": "*{code}* · {service} · {when} · {status}",
    "patient.status.waiting": "waiting for the doctor",
    "patient.status.confirmed": "confirmed",
    "patient.status.move_waiting": "change of appointment *{code}*, waiting for an answer",
    "patient.no_bookings": "You have no upcoming appointments.",
    "patient.pick_booking": "Which one do you want to cancel or change?\n{options}",
    "patient.action": "{booking}\nWhat would you like to do?\n1. Cancel it\n2. Change day or time",
    "patient.policy": "📄 Cancellation policy: {policy}",
    "patient.cancel_confirm": (
        "Are you sure you want to cancel appointment *{code}* on {when}?\n1. Yes, cancel\n"
        "2. No, keep it"
    ),
    "patient.withdraw_confirm": (
        "Withdraw your request *{code}* for {when}?\n1. Yes, withdraw it\n2. No, keep it"
    ),
    "patient.cancelled": "Done, appointment *{code}* is cancelled and the practice knows.",
    "patient.withdrawn": "Done, you withdrew request *{code}* and the practice knows.",
    "patient.kept": "Great, we'll keep it 👍",
    "patient.booking_gone": (
        "I couldn't find that appointment; it may have changed. Check *2. My appointments*."
    ),
    "patient.move_request": (
        "Your request *{code}* is still waiting for the doctor, so it can't be moved. "
        "If you prefer another time, withdraw it (option 1) and book again."
    ),
    "patient.cannot_move": (
        "That appointment can't be changed here any more. Choose *4* to talk to the practice."
    ),
    "patient.already_started": (
        "Your appointment *{code}* has already started, so it can't be cancelled or changed "
        "here. Choose *4* to talk to the practice."
    ),
    "patient.moved": "✅ Done, appointment *{code}* is now on {when}.",
    "patient.move_confirm": (
        "Move your appointment *{code}* from {old} to {new}?\n1. Yes, move it\n"
        "2. No, leave it as it is"
    ),
    "patient.move_asked": (
        "📨 We asked {doctor} to move your appointment *{code}* to {when}. You'll have an "
        "answer by {deadline}; meanwhile your appointment stays as it is."
    ),
    "patient.move_pending": (
        "You already asked to move appointment *{code}* to {when} and we're still waiting "
        "for the answer. We'll let you know here; until then your appointment stays as it is."
    ),
    "patient.move_pending_now": (
        "A change to your appointment *{code}* is already waiting for an answer; we'll let "
        "you know here. Until then your appointment stays as it is."
    ),
    # Reminders
    "patient.reminder": (
        "About your appointment *{code}*, answer:\n1. I confirm I'll be there\n2. Cancel\n"
        "3. Change day or time"
    ),
    "patient.must_reconfirm": (
        "⚠️ As you missed earlier appointments, we'll ask you to confirm you're coming before "
        "the appointment: if you don't, we'll free the time."
    ),
    # The waitlist
    "patient.waitlist_join": (
        "I can put you on the waiting list for {service}: if a time opens up between today "
        "and {until}, I'll write to you. Which time suits you best?\n1. Mornings\n"
        "2. Afternoons\n3. Any time\n4. No, thanks"
    ),
    "patient.waitlist_not_joined": "All right 👍 Write *menu* whenever you want another time.",
    "patient.waitlist_when": "⏳ Waiting list: {first} to {last}, {part}",
    "patient.waitlist_part.morning": "mornings",
    "patient.waitlist_part.afternoon": "afternoons",
    "patient.waitlist_part.any": "any time",
    "patient.waitlist_joined": (
        "✅ Done, you're on the waiting list for {service} until {last}. If a time opens up "
        "I'll write to you: it goes to whoever answers first. When I offer it you can take "
        "it, let it pass or leave the list."
    ),
    "patient.waitlist_offer": (
        "🔔 A time opened up: {service}, {when}. Do you want it?\n1. Yes, I want it\n"
        "2. Not this one\n3. Leave the list"
    ),
    "patient.waitlist_passed": "All right, you're still on the waiting list 👍",
    "patient.waitlist_left": "Done, you left the waiting list. Write *menu* whenever you like.",
    "patient.waitlist_too_late": (
        "Oh, someone else took that time or the offer ran out 😕 You're still on the waiting "
        "list: I'll let you know if another one opens up."
    ),
    "patient.help.waitlist_offer": (
        "Reply *1* to take the time, *2* if it doesn't suit you (you stay on the list) or *3* "
        "to leave the waiting list."
    ),
    "patient.attendance_thanks": "Thanks for confirming! See you then 🙌",
    # MY DATA: what is held about this phone, and the patient's rights over it
    "patient.my_data.held": (
        "📋 This is what the practice keeps about this number:\n"
        "Name: {name}\nAge: {age}\nSex: {sex}\nLanguage: {spoken}"
    ),
    "patient.my_data.booking": "🗓️ {code} · {service} · {when} · {status}\n{answers}",
    "patient.my_data.no_bookings": "You have no appointments or requests with the practice.",
    "patient.my_data.no_answers": "No answers kept.",
    "patient.my_data.unknown": "not given",
    "patient.my_data.language.es": "Spanish",
    "patient.my_data.language.en": "English",
    "patient.my_data.reason": "Reason: {value}",
    "patient.my_data.symptoms": "Symptoms: {value}",
    "patient.my_data.history": "History: {value}",
    "patient.my_data.medications": "Medications: {value}",
    "patient.my_data.allergies": "Allergies: {value}",
    "patient.my_data.status.pending": "waiting for an answer",
    "patient.my_data.status.confirmed": "confirmed",
    "patient.my_data.status.rejected": "not accepted",
    "patient.my_data.status.expired": "lapsed without an answer",
    "patient.my_data.status.cancelled": "cancelled",
    "patient.my_data.status.completed": "attended",
    "patient.my_data.status.no_show": "missed",
    "patient.my_data.options": (
        "What would you like to do?\n1. Correct my details\n2. Withdraw consent\n"
        "3. Erase my data\n4. Back to the menu"
    ),
    "patient.my_data.fix": "What would you like to correct?\n1. Name\n2. Age\n3. Sex",
    "patient.my_data.corrected": "✅ Done, corrected.",
    "patient.my_data.kept": "All right, nothing changed.",
    "patient.my_data.withdraw_confirm": (
        "If you withdraw your consent, we will stop using your data and stop writing to you, "
        "except to confirm it.\nWithdraw it?\n1. Yes, withdraw it\n2. No"
    ),
    "patient.my_data.withdrawn": (
        "Done: you withdrew your consent. We will not use your data or write to you again. "
        "If you ever want to come back, just write to us. 🙏"
    ),
    "patient.my_data.erase_confirm": (
        "If we erase your data, we cancel your pending appointments and requests, stop "
        "writing to you and erase your name, your number and your answers. What the law "
        "makes the practice keep (the record of the visits you already had) stays encrypted "
        "and blocked until its time is up.\nShall we erase your data?\n1. Yes, erase it\n2. No"
    ),
    "patient.my_data.erased_cancelled": "We cancelled what you had pending: {codes}.",
    "patient.my_data.erased": (
        "🗑️ Done, we erased your data:\n"
        "• your name, your number, your age and your sex\n"
        "• your health answers (requests: {bookings})\n"
        "• the text of your messages (messages: {messages})\n"
        "We will not write to you again."
    ),
    "patient.my_data.record_kept": (
        "⚖️ The law makes the practice keep the record of the visits you attended "
        "(visits: {visits}) until {until}. It stays encrypted and blocked: nobody can use "
        "it, and on that day it is erased."
    ),
    "patient.my_data.nothing_kept": "Nothing is kept with your name or your number.",
}
