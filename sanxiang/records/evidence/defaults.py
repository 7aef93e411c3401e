"""The recording rules an installation starts with (seeded by migration 0002; the system
administrator changes them in the admin site, each change recorded in the ledger).

Sources (DOMAIN.md §2.2, §12 B22): the bureau's plan (seed, 实施方案（二）2) names 现场执法、调查
取证、举行听证、留置送达、公告送达 as dispute-prone acts to be recorded "根据实际情况" — as the
circumstances require, i.e. a prompt, not a bar — and for a refused document says to leave it
and record the service "采用拍照、录像等方式": that one is a requirement, because the photo or
video *is* the proof of service when nobody signed (民事诉讼法 第八十九条). The Shanxi HR&SS
list of acts to record (S29) adds 现场检查、先行登记保存、简易程序、责令改正后的现场核查.
Mandatory full-process recording (查封扣押、强制拆除) does not arise in labour inspection.
"""

from __future__ import annotations

PLAN = "陵川县人社局推行行政执法三项制度实施方案（二）2"

DEFAULT_RULES = [
    {
        "target": "service_left",
        "mode": "block",
        "kinds": ["photo", "video"],
        "reason": "留置送达须有拍照或录像记录（实施方案：受送达人拒绝接受行政执法文书的，"
        "可以将执法文书留在受送达人的住所，并采用拍照、录像等方式记录送达过程）",
        "basis": f"{PLAN}；国办发〔2018〕118号；民事诉讼法第八十九条",
    },
    {
        "target": "service_public",
        "mode": "prompt",
        "kinds": ["photo", "video"],
        "reason": "公告送达宜拍照或录像，记录张贴公告的地点和过程（实施方案：公告送达等容易引发"
        "争议的执法过程，根据实际情况进行音像记录）",
        "basis": f"{PLAN}；民事诉讼法第九十五条",
    },
    {
        "target": "hearing",
        "mode": "prompt",
        "kinds": ["audio", "video"],
        "reason": "举行听证宜全程录音录像（实施方案：举行听证等容易引发争议的执法过程，根据实际"
        "情况进行音像记录）",
        "basis": f"{PLAN}；国办发〔2018〕118号；行政处罚法第六十四条",
    },
    {
        "target": "inspection",
        "mode": "prompt",
        "kinds": ["video", "photo", "audio"],
        "reason": "现场检查宜录像或拍照，记录进入现场、出示执法证件、检查询问和调取材料的过程"
        "（山西省人社系统劳动保障监察音像记录事项）",
        "basis": f"{PLAN}；行政处罚法第五十五条",
    },
    {
        "target": "interview",
        "mode": "prompt",
        "kinds": ["audio", "video"],
        "reason": "询问宜录音录像（询问室的固定设备可全程记录）",
        "basis": "国办发〔2018〕118号（执法办案场所音像记录）",
    },
    {
        "target": "preservation",
        "mode": "prompt",
        "kinds": ["photo", "video"],
        "reason": "先行登记保存宜拍照或录像，记录物品名称、数量和清点过程",
        "basis": "行政处罚法第五十六条；山西省人社系统劳动保障监察音像记录事项",
    },
    {
        "target": "correction_check",
        "mode": "prompt",
        "kinds": ["photo", "video"],
        "reason": "责令改正后的现场核查宜拍照或录像，记录改正情况",
        "basis": "山西省人社系统劳动保障监察音像记录事项",
    },
    {
        "target": "on_spot",
        "mode": "prompt",
        "kinds": ["video", "audio"],
        "reason": "当场处罚（简易程序）宜全程录音录像，记录从调查到当场交付决定书的过程",
        "basis": "行政处罚法第五十一条、第五十二条；山西省人社系统劳动保障监察音像记录事项",
    },
]
