"""The terminal player: `quizbot play` and `quizbot leaderboard`, no Discord needed."""
