import pytest


@pytest.fixture(scope="session")
def deduce_model():
    """deduce reads its lookup tables once per test process (about 10 seconds)."""
    from reports.research.pseudonymise import get_deduce

    return get_deduce()
