"""The use cases behind the conversation: each message's transaction, and what the flows may do.

`inbox` processes one message (its transaction, its store of statements in
`inbox_store`), runs the pure flows of `bot_flows` and logs the replies;
`services` are what those flows may ask of the practice (booking, consent,
hand-off), implemented on the database; `deferred_inbox` keeps messages that
arrive while the database is away.
"""
