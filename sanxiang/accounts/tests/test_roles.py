import pytest
from django.contrib.auth.models import Group

from sanxiang.accounts import roles
from sanxiang.accounts.services import declared_role_permissions, user_set_roles
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted


def test_every_role_exists_as_a_group(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)


def test_no_role_both_manages_accounts_and_reads_the_audit_log(db):
    for role, perms in declared_role_permissions().items():
        for a, b in roles.SEPARATED_PERMISSIONS:
            assert not (a in perms and b in perms), role


def test_group_permissions_match_the_declarations(db):
    for role, perms in declared_role_permissions().items():
        group = Group.objects.get(name=role)
        actual = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert actual == perms, role


def test_security_admin_assigns_roles_and_it_is_recorded(personas):
    user_set_roles(actor=personas.anquan, user=personas.wuquanxian, role_names=[roles.OFFICER])
    assert personas.wuquanxian.role_names == [roles.OFFICER]
    assert Event.objects.filter(type="account.roles_set").exists()


def test_only_the_security_admin_assigns_roles(personas):
    with pytest.raises(NotPermitted):
        user_set_roles(actor=personas.xitong, user=personas.wuquanxian, role_names=[roles.OFFICER])
    with pytest.raises(NotPermitted):
        user_set_roles(actor=personas.shenji, user=personas.wuquanxian, role_names=[roles.OFFICER])


@pytest.mark.parametrize("pair", [tuple(sorted(p)) for p in roles.INCOMPATIBLE])
def test_the_three_admin_roles_cannot_be_combined(personas, pair):
    with pytest.raises(DomainError, match="三权分立"):
        user_set_roles(actor=personas.anquan, user=personas.wuquanxian, role_names=list(pair))
    assert personas.wuquanxian.role_names == []


def test_security_admin_cannot_change_own_roles(personas):
    with pytest.raises(DomainError):
        user_set_roles(actor=personas.anquan, user=personas.anquan, role_names=[roles.AUDIT_ADMIN])


def test_unknown_role_is_refused(personas):
    with pytest.raises(DomainError, match="未知角色"):
        user_set_roles(actor=personas.anquan, user=personas.wuquanxian, role_names=["超级管理员"])


def test_account_admin_is_open_to_the_security_admin_only(client, personas):
    client.force_login(personas.anquan)
    assert client.get("/admin/accounts/user/").status_code == 200
    for persona in (personas.shenji, personas.zhangming, personas.wuquanxian):
        client.force_login(persona)
        response = client.get("/admin/accounts/user/")
        assert response.status_code in (302, 403), persona.username


def test_users_cannot_be_deleted_in_the_admin(client, personas):
    client.force_login(personas.anquan)
    response = client.get(f"/admin/accounts/user/{personas.lihua.pk}/delete/")
    assert response.status_code == 403


def test_navigation_follows_roles(client, personas):
    client.force_login(personas.anquan)
    assert "账号管理" in client.get("/").content.decode()
    client.force_login(personas.zhangming)
    assert "账号管理" not in client.get("/").content.decode()
