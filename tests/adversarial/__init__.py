"""A catalogue of cheating and broken submissions (see catalogue.py); used by tests/test_grading.py."""
