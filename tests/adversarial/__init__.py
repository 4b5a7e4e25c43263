"""A catalogue of cheating and broken submissions (see catalogue.py); used by tests/grading/test_grader.py."""
