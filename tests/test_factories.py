def test_permission_matrix_fixtures_are_distinct(member_a, member_b, admin_user, company_a, company_b):
    assert member_a.membership.company == company_a
    assert member_b.membership.company == company_b
    assert admin_user.is_staff is True
    assert [c.name for c in company_a.contacts.all()] == ["Anna Example"]
