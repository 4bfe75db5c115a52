"""Run the command line: `python -m bot` is `quizbot`."""

from bot.cli import main

raise SystemExit(main())
