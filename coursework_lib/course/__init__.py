"""Layer 9, course: exercise specifications and public checks, the student edition, and the grader."""
