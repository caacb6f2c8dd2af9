import pytest

from coding import services
from coding.models import Code, Fragment

from .factories import make_material


@pytest.fixture
def coded(world):
    """The world with material of every kind, fragments made, and a few codings
    by two researchers, a category tree and a memo."""
    make_material(world)
    services.fragments_sync()
    category = services.category_create(study=world.study, name="Randvoorwaarden",
                                        user=world.researcher)
    sub = services.category_create(study=world.study, name="Management", parent=category,
                                   user=world.researcher)
    fragments = list(Fragment.objects.order_by("id"))
    for number, fragment in enumerate(fragments):
        services.coding_add(fragment=fragment, user=world.researcher, start=0, end=5,
                            new_names=["ruimte voor dialoog"])
        services.coding_add(fragment=fragment, user=world.independent, start=1, end=8,
                            new_names=[f"open code {number % 3}"])
    code = Code.objects.get(name="ruimte voor dialoog")
    services.code_set_category(code=code, category=sub, user=world.researcher)
    services.memo_add(code=code, text="Komt vaak terug bij de teams.", user=world.researcher)
    world.category = category
    world.subcategory = sub
    world.code = code
    world.fragment = fragments[0]
    return world
