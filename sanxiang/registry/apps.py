from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = [
    "view_agency",
    "view_unit",
    "view_officer",
    "view_certificate",
    "view_legalqualification",
    "view_reviewerdesignation",
    "view_training",
    "view_recordingdevice",
]
_MAINTAIN = [
    f"{verb}_{model}"
    for model in (
        "agency",
        "unit",
        "officer",
        "certificate",
        "legalqualification",
        "reviewerdesignation",
        "training",
        "recordingdevice",
    )
    for verb in ("add", "change")
]


class RegistryConfig(AppConfig):
    name = "sanxiang.registry"
    verbose_name = "执法主体与人员"
    # The registry is reference data kept by the system administrator (nothing is ever deleted:
    # certificates end, officers leave, devices are retired). Everyone working on cases may read
    # it; the unit head also issues and takes back recording devices (领用、归还).
    role_permissions = {
        roles.SYSTEM_ADMIN: _VIEW + _MAINTAIN,
        roles.UNIT_HEAD: _VIEW + ["change_recordingdevice"],
        roles.OFFICER: _VIEW,
        roles.REVIEWER: _VIEW,
        roles.LEGAL_ADVISER: _VIEW,
        roles.BUREAU_HEAD: _VIEW,
        roles.PUBLICITY_ADMIN: _VIEW,
        roles.ARCHIVIST: _VIEW,
    }
    nav_items = [
        ("执法人员与证件", "registry:officer_list", "registry.view_officer", "基础数据"),
        ("法制审核人员", "registry:reviewer_list", "registry.view_reviewerdesignation", "基础数据"),
        ("执法培训", "registry:training_list", "registry.view_training", "基础数据"),
        ("音像记录设备", "registry:device_list", "registry.view_recordingdevice", "基础数据"),
    ]
    todo_providers = ["sanxiang.registry.selectors.todo_items_for"]
    ledger_event_labels = {
        "registry.agency_created": "登记执法主体",
        "registry.agency_updated": "修改执法主体",
        "registry.unit_created": "登记内设机构",
        "registry.unit_updated": "修改内设机构",
        "registry.officer_registered": "登记执法人员",
        "registry.officer_reinstated": "执法人员重新在岗",
        "registry.officer_updated": "修改执法人员信息",
        "registry.officer_left": "执法人员离岗",
        "registry.certificate_recorded": "登记执法证",
        "registry.certificate_suspended": "暂扣执法证",
        "registry.certificate_reinstated": "恢复执法证",
        "registry.certificate_ended": "注销、收回或吊销执法证",
        "registry.qualification_recorded": "登记法律职业资格",
        "registry.qualification_withdrawn": "撤回法律职业资格记录",
        "registry.reviewer_designated": "确定法制审核人员",
        "registry.reviewer_ended": "终止法制审核人员资格",
        "registry.training_recorded": "登记培训",
        "registry.training_updated": "修改培训记录",
        "registry.device_registered": "登记音像记录设备",
        "registry.device_issued": "领用音像记录设备",
        "registry.device_returned": "归还音像记录设备",
        "registry.device_status_changed": "变更音像记录设备状态",
    }
