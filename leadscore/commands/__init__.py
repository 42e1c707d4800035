"""One module per runner command, each with run(args, project, summary) -> exit code."""
