"""Choices of the evidence models (labels are the Chinese terms shown to users)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):  # 证据形式
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    DOCUMENT = "document", "书证电子件（文件、扫描件）"


class Scene(models.TextChoices):  # 记录场景（国办发〔2018〕118号：容易引发争议的执法过程）
    ON_SITE = "on_site", "现场执法"
    INVESTIGATION = "investigation", "调查取证"
    HEARING = "hearing", "听证"
    SERVICE_LEFT = "service_left", "留置送达"
    SERVICE_PUBLIC = "service_public", "公告送达"
    INTERVIEW = "interview", "询问"
    OTHER = "other", "其他"


class Step(models.TextChoices):  # 办案环节
    INTAKE = "intake", "受理、核查"
    INSPECTION = "inspection", "现场检查"
    INTERVIEW = "interview", "询问"
    PRESERVATION = "preservation", "先行登记保存"
    CORRECTION_CHECK = "correction_check", "责令改正后的现场核查"
    DEFENCE = "defence", "陈述、申辩"
    HEARING = "hearing", "听证"
    SERVICE = "service", "送达"
    ON_SPOT = "on_spot", "当场处罚（简易程序）"
    ENFORCEMENT = "enforcement", "执行"
    OTHER = "other", "其他"


class RuleTarget(models.TextChoices):  # 音像记录要求适用的执法行为
    SERVICE_LEFT = "service_left", "留置送达"
    SERVICE_PUBLIC = "service_public", "公告送达"
    HEARING = "hearing", "举行听证"
    INSPECTION = "inspection", "现场检查"
    INTERVIEW = "interview", "询问"
    PRESERVATION = "preservation", "先行登记保存"
    CORRECTION_CHECK = "correction_check", "责令改正后的现场核查"
    ON_SPOT = "on_spot", "当场处罚（简易程序）"


class RuleMode(models.TextChoices):
    BLOCK = "block", "必须记录（未记录不能继续办理）"
    PROMPT = "prompt", "提示记录"
    OFF = "off", "不要求"


class ExemptionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class UploadStatus(models.TextChoices):
    UPLOADING = "uploading", "上传中"
    COMPLETE = "complete", "已传完，待登记"
    INGESTED = "ingested", "已登记为证据"
    TERMINATED = "terminated", "已取消"
    EXPIRED = "expired", "已过期清除"


class Via(models.TextChoices):
    FORM = "form", "表单上传"
    RESUMABLE = "resumable", "断点续传"
