from atlas.checklist import procedure_checklist


def test_checklist_is_built_from_the_page(repo):
    items = {i.key: i for i in procedure_checklist(repo.page("fixture-lumbar-tf"))}
    assert list(items) == ["indication", "consent", "allergies", "anticoagulation", "labs", "site", "drugs", "emergency", "timeout"]
    assert "intermediate-risk procedure" in items["anticoagulation"].detail and items["anticoagulation"].safety
    assert "L1 to L5-S1" in items["site"].detail and "transforaminal" in items["site"].detail
    assert items["consent"].detail == "See the page's Complications section."  # the fixture names no complication in bold
    assert "indications" in items["indication"].detail.lower()


def test_page_without_a_risk_class_says_so(repo):
    items = {i.key: i for i in procedure_checklist(repo.page("fixture-cervical-il"))}
    assert "states no bleeding-risk class" in items["anticoagulation"].detail
    assert "airway" in items["emergency"].detail
