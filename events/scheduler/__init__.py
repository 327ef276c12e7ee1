"""The meeting scheduler: pure Python (no Django), plain data in, plain data out.

Entry points: `io.problem_from_dict` / `io.read_problem`, `solver.schedule`, `checker.check`,
`io.solution_to_dict`. The format is documented in docs/scheduling-format.md.
"""
