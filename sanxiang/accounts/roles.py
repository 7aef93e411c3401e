"""Roles (Django groups). Each app grants its own permissions to roles in its AppConfig:

    class CasesConfig(AppConfig):
        role_permissions = {roles.OFFICER: ["view_case", "add_case"], ...}

``sync_roles`` (run after every migrate) creates the groups and gives each exactly the
permissions the app configs list, so a role's rights are declared next to the code they guard.
"""

from __future__ import annotations

OFFICER = "执法人员"
UNIT_HEAD = "承办机构负责人"
REVIEWER = "法制审核员"
LEGAL_ADVISER = "法律顾问"
BUREAU_HEAD = "局负责人"
PUBLICITY_ADMIN = "公示管理员"
ARCHIVIST = "档案管理员"
# 等保 2.0 三级 "三权分立": system configuration, accounts and permissions, audit reading are
# held by three different administrators; no role both manages accounts and reads the audit log.
SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"

ALL = [
    OFFICER,
    UNIT_HEAD,
    REVIEWER,
    LEGAL_ADVISER,
    BUREAU_HEAD,
    PUBLICITY_ADMIN,
    ARCHIVIST,
    SYSTEM_ADMIN,
    SECURITY_ADMIN,
    AUDIT_ADMIN,
]

DESCRIPTIONS = {
    OFFICER: "受理投诉举报、调查取证、起草文书、送达",
    UNIT_HEAD: "审批立案、延期、指派办案人员",
    REVIEWER: "重大执法决定法制审核（劳动监察和信访仲裁股）",
    LEGAL_ADVISER: "参与法制审核，提供法律意见",
    BUREAU_HEAD: "作出执法决定，主持集体讨论",
    PUBLICITY_ADMIN: "审核、发布、撤回公示信息",
    ARCHIVIST: "案卷归档、封存卷宗的借阅管理",
    SYSTEM_ADMIN: "维护参考数据与系统参数（不管理账号、不查阅审计日志）",
    SECURITY_ADMIN: "管理账号、角色与权限（不查阅审计日志）",
    AUDIT_ADMIN: "查阅审计日志（不管理账号）",
}

# Roles that use the Django admin site for reference data or accounts.
ADMIN_SITE_ROLES = {SYSTEM_ADMIN, SECURITY_ADMIN}

# Pairs of roles one person may never hold together.
INCOMPATIBLE = [
    {SECURITY_ADMIN, AUDIT_ADMIN},
    {SYSTEM_ADMIN, AUDIT_ADMIN},
    {SYSTEM_ADMIN, SECURITY_ADMIN},
]

# Permissions that must never meet in one role (checked by sync_roles and a test).
SEPARATED_PERMISSIONS = [("accounts.manage_accounts", "ledger.view_audit_log")]
