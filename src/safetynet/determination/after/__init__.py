"""After the decision: reviews due (annual reviews, periodic checks, self-care re-assessments,
death re-checks), their outcomes, reported changes and terminations, at /determination/reviews/."""
