"""Background work: the jobs, where they are queued, and what they run with.

`after_commit` collects the jobs a transaction owes, `dispatch` hands them to RQ
(or a thread when embedded) once it commits, `queues` names RQ's queues and books
the periodic jobs, `jobs` are the functions RQ runs (ids in), and `runtime` is
what those jobs need, built once per process.
"""
