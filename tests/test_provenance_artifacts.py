"""Every committed artifact is stamped, unchanged since, and made by the code that is here now."""

from coursework_lib.core import provenance


def test_every_committed_artifact_matches_its_stamp_and_its_code():
    problems = provenance.artifact_problems()
    assert not problems, "committed artifacts out of date:\n" + "\n".join(problems)
