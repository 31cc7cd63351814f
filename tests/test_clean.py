import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import clean

DATA = Path(__file__).resolve().parent / "data"

BOILERPLATE_LINES = ["搜索", "给领导留言", "热点文章推荐", "相关文章推荐", "仅供学习 禁止外传", "会员群", "免费QQ群",
                     "【打击倒卖活动】", "责编", "阅读", "来源：", "原标题", "江苏要闻", "现在订阅立享"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２５年", "2025年"),
        ("增长６．５％", "增长6.5%"),
        ("ＧＤＰ增长", "GDP增长"),
        ("8%以上,并冲入", "8%以上，并冲入"),
        ("1,200个", "1,200个"),
        ("15:59  来源:宿迁网", "15:59  来源：宿迁网"),
        ("(二〇二〇年十二月)", "（二〇二〇年十二月）"),
        ("a, b (c)", "a, b (c)"),
        ("XX%，X万标箱", "XX%，X万标箱"),
        ("全\u3000角", "全 角"),
    ],
)
def test_normalize_width(text, expected):
    assert clean.normalize_width(text) == expected


def test_normalize_newlines():
    assert clean.normalize_newlines("a\r\nb\rc\u2028d\fe") == "a\nb\nc\nd\n\ne"


@pytest.mark.parametrize(
    ("text", "script"),
    [("泗洪縣將強力實施五大突破", "traditional"), ("泗洪县将强力实施五大突破", "simplified"), ("GDP 6.5%", "none")],
)
def test_detect_script(text, script):
    assert clean.detect_script(text) == script


def test_to_simplified_keeps_masks_and_length():
    text = "力爭經濟總量XX億元，增長X%"
    assert clean.to_simplified(text) == "力争经济总量XX亿元，增长X%"


@pytest.mark.parametrize("line", ["搜索", "给领导留言", "热点文章推荐", "相关文章推荐", "（责编：萧潇、张鑫）",
                                  "2020年12月23日 10阅读 来源：淮北日报 2020/01/10", "仅供学习 禁止外传",
                                  "会员群：                      免费QQ群：", "■ 记者 齐新亚", "原标题：追赶超越勇向前"])
def test_boilerplate_lines(line):
    assert clean.is_boilerplate(line)


@pytest.mark.parametrize("line", ["上半年实现地区生产总值623.2亿元，增长3.2%。", "一、积极应对严峻挑战", "同志们：",
                                  "深学细照笃行", "强化使命担当 奋力决战决胜"])
def test_not_boilerplate(line):
    assert not clean.is_boilerplate(line)


def test_advertising_header_block_dropped_whole():
    text = "仅供学习 禁止外传\n某某文库\n自建平台、实时分享\n现在订阅立享全部资料\n会员群：123\n\n\n\n在全会上的讲话\n同志们：\n正文。"
    assert clean.remove_boilerplate(text).strip().split("\n") == ["在全会上的讲话", "同志们：", "正文。"]


def test_site_footer_dropped_after_editor_line():
    text = "正文第一段。\n\n（责编：张三）\n\n江苏要闻\n\n给领导留言"
    assert clean.remove_boilerplate(text).strip() == "正文第一段。"


def test_footer_rule_keeps_short_closing_paragraph():
    assert clean.remove_boilerplate("正文。\n\n同志们，加油！").split("\n")[-1] == "同志们，加油！"


def test_rejoin_hard_wrapped_lines_keeps_headings_apart():
    width = "这是一行被排版软件硬换行的文字内容用来测试重新拼接是否正确无误了"  # 32 chars
    text = "\n\n".join([width, width, "短的结尾。", "小标题", width, "最后。"])
    assert clean.rejoin_broken_lines(text).split("\n") == [width * 2 + "短的结尾。", "小标题", width + "最后。"]


def test_rejoin_unwrapped_joins_only_mid_sentence_breaks():
    text = "一、总体要求\n坚持稳中求进，\n推动高质量发展。\n同志们：\n下面讲三点。"
    assert clean.rejoin_broken_lines(text).split("\n") == ["一、总体要求", "坚持稳中求进，推动高质量发展。", "同志们：", "下面讲三点。"]


def test_split_long_lines_at_numbering_and_spaces():
    body = "发展取得新成效。" * 30
    line = f"一、总体要求 {body} 1、过去五年，城镇居民收入达到39000元和 21000元。2、今后五年，实现新突破。"
    parts = clean.split_long_lines(line).split("\n")
    assert parts[0] == "一、总体要求"
    assert parts[1] == body
    assert parts[2] == "1、过去五年，城镇居民收入达到39000元和 21000元。"
    assert parts[3] == "2、今后五年，实现新突破。"


def test_split_sentences():
    assert clean.split_sentences("一是稳增长。二是“促改革”！三是惠民生；四") == ["一是稳增长。", "二是“促改革”！", "三是惠民生；", "四"]


def test_normalize_spaces_drops_table_bars():
    assert clean.normalize_spaces("  （通过） |\n|\n正文  第二  \n\n") == "（通过）\n正文 第二"


def test_clean_text_example():
    assert clean.clean_text("搜索\n到２０２５年，城鎮化率突破60%。\n給領導留言") == "到2025年，城镇化率突破60%。"


# --- web-page furniture: copies of real page shapes ------------------------------------
# Each case: the page as scraped, the clean text, and the removals as (text, rule) in order.

YUNNAN = """您的位置： > 云南要闻
云南省2023年政府工作报告
时间：2023-01-17 10:22 来源：云南日报
【字体：大 中 小】 分享：
下载
全屏
加大
还原
减小
】
政府工作报告
——2023年1月12日在云南省第十四届人民代表大会第一次会议上
云南省省长 王予波
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。
一、过去五年工作回顾
过去五年，全省生产总值跨越2万亿元、3万亿元两个台阶，年均增长6.3%。
今年我们将加大财政投入力度，减小企业负担，还原市场本来面貌。
责任编辑：
李明
相关报道：
云南省政府工作报告解读
图解：2023年云南省政府工作报告
8a8ab2f3e1c94b0a9e3d7c6f5b4a3e21 王予波作政府工作报告
云南省2023年政府工作报告
现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。
"""
SHARE_BAR = [("下载", "share-bar"), ("全屏", "share-bar"), ("加大", "share-bar"), ("还原", "share-bar"),
             ("减小", "share-bar"), ("】", "share-bar")]

PAGES = {
    "provincial report page": (
        YUNNAN,
        "云南省2023年政府工作报告\n政府工作报告\n——2023年1月12日在云南省第十四届人民代表大会第一次会议上\n"
        "云南省省长 王予波\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。\n"
        "一、过去五年工作回顾\n过去五年，全省生产总值跨越2万亿元、3万亿元两个台阶，年均增长6.3%。\n"
        "今年我们将加大财政投入力度，减小企业负担，还原市场本来面貌。",
        [("您的位置： > 云南要闻", "breadcrumb"), ("时间：2023-01-17 10:22 来源：云南日报", "source-time"),
         ("【字体：大 中 小】 分享：", "share-bar"), *SHARE_BAR, ("责任编辑：", "editor"), ("李明", "editor"),
         ("相关报道：", "related-links"), ("云南省政府工作报告解读", "related-links"),
         ("图解：2023年云南省政府工作报告", "related-links"),
         ("8a8ab2f3e1c94b0a9e3d7c6f5b4a3e21 王予波作政府工作报告", "related-links"),
         ("云南省2023年政府工作报告", "related-links"),
         ("现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。", "repeated-title")],
    ),
    "provincial report page, traditional script": (
        "您的位置： > 雲南要聞\n雲南省2023年政府工作報告\n時間：2023-01-17 10:22 來源：雲南日報\n【字體：大 中 小】 分享：\n"
        "下載\n全屏\n加大\n還原\n減小\n】\n各位代表：\n現在，我代表省人民政府，向大會報告工作，請予審議。\n"
        "今年要加大財政投入力度，減小企業負擔。\n責任編輯：\n李明\n相關報道：\n雲南省政府工作報告解讀\n",
        "云南省2023年政府工作报告\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n今年要加大财政投入力度，减小企业负担。",
        [("您的位置： > 雲南要聞", "breadcrumb"), ("時間：2023-01-17 10:22 來源：雲南日報", "source-time"),
         ("【字體：大 中 小】 分享：", "share-bar"), ("下載", "share-bar"), ("全屏", "share-bar"), ("加大", "share-bar"),
         ("還原", "share-bar"), ("減小", "share-bar"), ("】", "share-bar"), ("責任編輯：", "editor"), ("李明", "editor"),
         ("相關報道：", "related-links"), ("雲南省政府工作報告解讀", "related-links")],
    ),
    "central government page": (
        "首页 > 政策 > 政府工作报告\n政府工作报告\n2023-03-14 09:30 来源： 新华社\n字号：默认 大 超大 | 打印 | 收藏\n"
        "各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议。\n\n一、过去一年和五年工作回顾\n\n"
        "过去一年，国内生产总值增长3%，城镇新增就业1206万人。\n\n【我要纠错】 责任编辑：王洋\n扫一扫在手机打开当前页\n",
        "政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n一、过去一年和五年工作回顾\n"
        "过去一年，国内生产总值增长3%，城镇新增就业1206万人。",
        [("首页 > 政策 > 政府工作报告", "breadcrumb"), ("2023-03-14 09:30 来源： 新华社", "source-time"),
         ("字号：默认 大 超大 | 打印 | 收藏", "share-bar"), ("【我要纠错】 责任编辑：王洋", "editor"),
         ("扫一扫在手机打开当前页", "share-bar")],
    ),
    "document page with its information table": (
        "索引号：\n11530000015094236Q/2023-00012\n发文机关：\n云南省人民政府\n成文日期：\n2023年01月20日\n"
        "关于印发2023年政府工作报告重点工作分工方案的通知\n各州、市人民政府，省直各委、办、厅、局：\n"
        "现将《2023年政府工作报告重点工作分工方案》印发给你们，请认真贯彻执行。\n相关附件>>\n2023年政府工作报告重点工作分工方案.pdf\n",
        "关于印发2023年政府工作报告重点工作分工方案的通知\n各州、市人民政府，省直各委、办、厅、局：\n"
        "现将《2023年政府工作报告重点工作分工方案》印发给你们，请认真贯彻执行。",
        [("索引号：", "info-table"), ("11530000015094236Q/2023-00012", "info-table"), ("发文机关：", "info-table"),
         ("云南省人民政府", "info-table"), ("成文日期：", "info-table"), ("2023年01月20日", "info-table"),
         ("相关附件>>", "related-links"), ("2023年政府工作报告重点工作分工方案.pdf", "related-links")],
    ),
    "news page with hex ids under related news": (
        "市政府召开常务会议研究部署重点工作\n会议强调，要加大项目建设力度，全力稳住经济大盘。\n"
        "会议要求，各地各部门要下载使用“政务通”平台，全屏展示项目进度。\n相关新闻：\n"
        "2c9081e58a3b4f1d9e0a7b6c5d4e3f21 市政府召开第五次全体会议\n5F1E7D3C2B4A49E8A1B2C3D4E5F6A7B8\n",
        "市政府召开常务会议研究部署重点工作\n会议强调，要加大项目建设力度，全力稳住经济大盘。\n"
        "会议要求，各地各部门要下载使用“政务通”平台，全屏展示项目进度。",
        [("相关新闻：", "related-links"), ("2c9081e58a3b4f1d9e0a7b6c5d4e3f21 市政府召开第五次全体会议", "related-links"),
         ("5F1E7D3C2B4A49E8A1B2C3D4E5F6A7B8", "related-links")],
    ),
    "hex id lines without a header": (
        "县2023年政府工作报告\n过去一年，全县地区生产总值增长6%。\n"
        "8a8ab2f3e1c94b0a9e3d7c6f5b4a3e21 县2022年政府工作报告\n县2021年政府工作报告 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n",
        "县2023年政府工作报告\n过去一年，全县地区生产总值增长6%。",
        [("8a8ab2f3e1c94b0a9e3d7c6f5b4a3e21 县2022年政府工作报告", "hex-id"),
         ("县2021年政府工作报告 0f1e2d3c4b5a69788796a5b4c3d2e1f0", "hex-id")],
    ),
    "news agency page": (
        "新华社北京3月5日电\n来源：新华网\n作者：\n张三\n政府工作报告（全文）\n"
        "各位代表：现在，我代表国务院，向大会报告政府工作。\n【纠错】 【责任编辑：赵晓】\n",
        "新华社北京3月5日电\n政府工作报告（全文）\n各位代表：现在，我代表国务院，向大会报告政府工作。",
        [("来源：新华网", "source-time"), ("作者：", "source-time"), ("张三", "source-time"),
         ("【纠错】 【责任编辑：赵晓】", "editor")],
    ),
    "title and opening repeated at the end, cut off": (
        "区2022年政府工作报告全文\n各位代表：\n现在，我代表区人民政府，向大会报告工作，请予审议，并请区政协委员和其他列席人员提出意见。\n"
        "过去一年，全区地区生产总值增长5.1%。\n今年要加大改革力度。\n区2022年政府工作报告全文\n"
        "各位代表：现在，我代表区人民政府，向大会报告工作，请予审议，并请区政协…\n",
        "区2022年政府工作报告全文\n各位代表：\n现在，我代表区人民政府，向大会报告工作，请予审议，并请区政协委员和其他列席人员提出意见。\n"
        "过去一年，全区地区生产总值增长5.1%。\n今年要加大改革力度。",
        [("区2022年政府工作报告全文", "repeated-title"),
         ("各位代表：现在，我代表区人民政府，向大会报告工作，请予审议，并请区政协…", "repeated-title")],
    ),
    "navigation and stray short lines at both edges": (
        "EN | 无障碍 | 长者模式\n|\n2023-02-10\n县2023年政府工作报告\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n"
        "过去一年，全县地区生产总值增长6%。\n0\njavascript:void(0);\n",
        "县2023年政府工作报告\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n过去一年，全县地区生产总值增长6%。",
        [("EN | 无障碍 | 长者模式", "site-nav"), ("2023-02-10", "edge-short-line"), ("0", "edge-short-line"),
         ("javascript:void(0);", "edge-short-line")],
    ),
    "Wikisource licence at the end": (
        "过去一年，我们砥砺前行。\n\n各位代表！\n\n让我们为实现中华民族伟大复兴的中国梦不懈奋斗！\n\n\n\n本作品是中华人民共和国的\n法律\n、\n"
        "法规\n，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件。\n\n\nPublic domain\nPublic domain\nfalse\nfalse",
        "过去一年，我们砥砺前行。\n各位代表！\n让我们为实现中华民族伟大复兴的中国梦不懈奋斗！",
        [("本作品是中华人民共和国的", "licence"), ("法律", "licence"), ("、", "licence"), ("法规", "licence"),
         ("，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件。", "licence"), ("Public domain", "licence"),
         ("Public domain", "licence"), ("false", "licence"), ("false", "licence")],
    ),
    "body sentences with 加大 减小 还原 下载 全屏 stay": (
        "今年工作的总体要求是：\n\n我们要加大对中小企业的支持力度，\n减小税费负担，还原市场活力。\n\n"
        "推广“一网通办”，群众可在手机上下载电子证照，\n全屏查看办事进度。\n\n各地要\n加大\n稳岗扩岗激励力度。\n",
        "今年工作的总体要求是：\n我们要加大对中小企业的支持力度，减小税费负担，还原市场活力。\n"
        "推广“一网通办”，群众可在手机上下载电子证照，全屏查看办事进度。\n各地要加大稳岗扩岗激励力度。",
        [],
    ),
    "2021 national report's head: 政府工作报 / 告, a zero-width line inside a word": (
        "\u200b\n\n\n\n政府工作报\n告\n\n\n\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n\n\n国务院总理\n\u3000李克强\n\n\n\n"
        "各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n\n\n一、2020年工作回顾\n\n\n"
        "过去一年，在新中国历史上极不平凡。脱贫攻坚战取得全面胜利，交出一份人\n\u200b\n民满意、世界瞩目、可以载入史册的答卷。\n",
        "政府工作报告\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n国务院总理李克强\n各位代表：\n"
        "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n一、2020年工作回顾\n"
        "过去一年，在新中国历史上极不平凡。脱贫攻坚战取得全面胜利，交出一份人民满意、世界瞩目、可以载入史册的答卷。",
        [],
    ),
    "targets wrapped at irregular widths, paragraphs set off by blank lines": (
        "今年经济社会发展的\n主要预期目标\n是：\n\n地区生产总值增长\n6%左右；城镇新增就业\n50万人以上。\n\n"
        "二、今年重点工作\n\n（一）扩大有效需求\n着力扩大消费和有效投资。\n",
        "今年经济社会发展的主要预期目标是：\n地区生产总值增长6%左右；城镇新增就业50万人以上。\n二、今年重点工作\n"
        "（一）扩大有效需求\n着力扩大消费和有效投资。",
        [],
    ),
    "hard-wrapped at irregular widths, no blank lines, headings kept apart": (
        "一、过去一年工作回顾\n过去一年，面对复杂严峻的\n国内外形势，全市上下\n坚持稳中求进工作总基调，\n经济运行总体平稳。地区\n"
        "生产总值增长4.5%，一般公共\n预算收入增长6%。\n（一）产业转型步伐加快\n新培育国家级专精特新“小巨\n人”企业12家。\n"
        "第二章 主要目标\n到2025年，全市地区生产总值\n突破5000亿元。\n",
        "一、过去一年工作回顾\n过去一年，面对复杂严峻的国内外形势，全市上下坚持稳中求进工作总基调，经济运行总体平稳。"
        "地区生产总值增长4.5%，一般公共预算收入增长6%。\n（一）产业转型步伐加快\n新培育国家级专精特新“小巨人”企业12家。\n"
        "第二章 主要目标\n到2025年，全市地区生产总值突破5000亿元。",
        [],
    ),
    "PM / 2.5 cut at a line end": (
        "全市细颗粒物（PM\n2.5）平均浓度下降到30微克/立方米，优良天数比例达到95%。\n空气质量持续改善。",
        "全市细颗粒物（PM2.5）平均浓度下降到30微克/立方米，优良天数比例达到95%。\n空气质量持续改善。",
        [],
    ),
    "1954-style traditional text wrapped around links": (
        "各位代表：\n\n我們第一届全國人民代表大會第一次會議，在聽了劉少奇同志\n關於憲法草案的報告\n"
        "並進行了三天的討論以後，已經光榮地完成了一件歷史性的工作，通過了我們國家的根本法——\n中華人民共和國憲法\n"
        "，接着，又通過了幾個重要的法律。現在，我代表中央人民政府作工作報告。\n\n"
        "我國同偉大的和平堡壘蘇聯已經締結了\n友好同盟互助條約\n。蘇聯根據友好互助的精神，給了我們巨大的援助。\n",
        "各位代表：\n我们第一届全国人民代表大会第一次会议，在听了刘少奇同志关于宪法草案的报告并进行了三天的讨论以后，"
        "已经光荣地完成了一件历史性的工作，通过了我们国家的根本法——中华人民共和国宪法，接着，又通过了几个重要的法律。"
        "现在，我代表中央人民政府作工作报告。\n我国同伟大的和平堡垒苏联已经缔结了友好同盟互助条约。苏联根据友好互助的精神，给了我们巨大的援助。",
        [],
    ),
}


_HALF_WIDTH = str.maketrans("，；：！？（）", ",;:!?()")


def _compact(text: str) -> str:
    """Without white space, zero-width characters and table rules; punctuation half-width (its width
    depends on the neighbours, which joining lines changes)."""
    return re.sub(r"[\s\u200b\u200c\u200d\u2060\ufeff|]+", "", text).translate(_HALF_WIDTH)


def _kept(original: str, removed) -> str:
    """The original without its removed stretches, converted and without white space."""
    pieces, pos = [], 0
    for r in removed:
        assert r.start >= pos, "removals overlap or are out of order"
        pieces.append(original[pos:r.start])
        pos = r.end
    pieces.append(original[pos:])
    return _compact(clean.normalize_width(clean.to_simplified("".join(pieces))))


@pytest.mark.parametrize(("page", "expected", "removals"), PAGES.values(), ids=PAGES.keys())
def test_page_furniture_removed_and_listed(page, expected, removals):
    cleaned = clean.clean_document(page)
    assert cleaned.text == expected
    assert [(r.text, r.rule) for r in cleaned.removed] == removals
    for r in cleaned.removed:
        assert page[r.start:r.end] == r.text
    # nothing else is lost: the clean text is the original minus the removals
    assert _compact(cleaned.text) == _kept(page, cleaned.removed)
    assert clean.clean_text(page) == expected


def test_offsets_are_into_the_input_with_crlf_and_form_feeds():
    page = "首页 > 要闻\r\n\r\n区政府工作报告\r\n\r\n各位代表：\r\n现在，我代表区人民政府向大会报告工作。\f责任编辑：\r\n王五\r\n"
    cleaned = clean.clean_document(page)
    assert cleaned.text == "区政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。"
    assert [(r.start, r.end, r.rule) for r in cleaned.removed] == [(0, 7, "breadcrumb"), (49, 54, "editor"), (56, 58, "editor")]
    assert [page[r.start:r.end] for r in cleaned.removed] == ["首页 > 要闻", "责任编辑：", "王五"]


def test_removals_table():
    table = clean.clean_document(YUNNAN).removals_table("yn2023")
    assert table.columns.tolist() == ["doc_id", "start", "end", "text", "rule"]
    assert (table["doc_id"] == "yn2023").all() and table["start"].is_monotonic_increasing
    assert table["rule"].value_counts().to_dict() == {"share-bar": 7, "related-links": 5, "editor": 2, "breadcrumb": 1,
                                                     "source-time": 1, "repeated-title": 1}


@pytest.mark.parametrize("line", ["【字体：大 中 小】 分享：", "字号：默认 大 超大 | 打印 | 收藏", "打印本页 关闭窗口", "【 加大 还原 减小 】",
                                  "您的位置： > 云南要闻", "当前位置：首页 > 政务公开", "首页 > 新闻中心 > 要闻", "时间：2023-01-17 10:22",
                                  "发布时间：2023-01-17", "来源：云南日报", "责任编辑：", "【我要纠错】 责任编辑：王洋", "相关报道：",
                                  "相关附件>>", "2c9081e58a3b4f1d9e0a7b6c5d4e3f21", "滇ICP备05003613号", "索引号：",
                                  "EN | 无障碍 | 长者模式"])
def test_furniture_lines(line):
    assert clean.is_boilerplate(line)


@pytest.mark.parametrize("line", ["今年要加大财政投入力度。", "减小企业负担，还原市场本来面貌。", "群众可在手机上下载电子证照。",
                                  "加大", "一、过去五年工作回顾", "各位代表：", "研发设计→生产制造→市场销售",
                                  "政府工作报告", "——2023年1月12日在云南省第十四届人民代表大会第一次会议上"])
def test_not_furniture_lines(line):
    assert not clean.is_boilerplate(line, [p for p in clean.default_patterns() if p.scope != "run"])


def test_a_bar_word_alone_in_the_body_is_kept():
    # "加大" is a bar word, but alone between body lines it is a piece of a wrapped sentence
    text = "一、重点工作\n\n各地要\n加大\n稳岗扩岗激励力度。\n\n全年城镇新增就业50万人。\n\n二、保障措施\n\n强化组织领导。"
    cleaned = clean.clean_document(text)
    assert cleaned.removed == []
    assert "各地要加大稳岗扩岗激励力度。" in cleaned.text.split("\n")


# --- pattern files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("^搜索$", [("boilerplate:1", "line", "^搜索$")]),
        ("# comment\n\neditor\tlabel\t^责任编辑[:：]", [("editor", "label", "^责任编辑[:：]")]),
        ("hex-id\t[0-9a-f]{32}", [("hex-id", "line", "[0-9a-f]{32}")]),
        ("licence\tto-end\t^本作品\n^\\|$", [("licence", "to-end", "^本作品"), ("boilerplate:2", "line", "^\\|$")]),
    ],
)
def test_parse_patterns(text, expected):
    assert [(p.rule, p.scope, p.regex.pattern) for p in clean.parse_patterns(text)] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("editor\teverywhere\t^责任编辑", "my.tsv:1: scope 'everywhere' is not one of line, label, list, run, to-end"),
     ("# ok\nbad\tline\t(unclosed", "my.tsv:2: not a regular expression")],
)
def test_parse_patterns_errors_name_file_and_line(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        clean.parse_patterns(text, source="my.tsv")


def test_shipped_pattern_files_parse_with_rule_names():
    rules = {p.rule for p in clean.furniture_patterns()}
    assert {"share-bar", "breadcrumb", "source-time", "editor", "related-links", "hex-id", "licence"} <= rules
    assert {p.rule for p in clean.load_boilerplate_patterns()} == {"advertising"}


def test_user_boilerplate_file_and_compiled_patterns(tmp_path):
    own = tmp_path / "mine.txt"
    own.write_text("^内部资料$\n", encoding="utf-8")
    text = "内部资料\n正文。\n给领导留言"
    assert clean.clean_text(text, boilerplate=own) == "正文。"  # replaces boilerplate.txt; furniture.tsv stays
    assert clean.clean_text("仅供学习 禁止外传\n正文。", boilerplate=own) == "仅供学习 禁止外传\n正文。"
    cleaned = clean.clean_document(text, patterns=[re.compile("^内部资料$")])
    assert [(r.text, r.rule) for r in cleaned.removed] == [("内部资料", "boilerplate:1")]
    with pytest.raises(ValueError, match="FurniturePattern or compiled"):
        clean.clean_document(text, patterns=["^内部资料$"])


# --- national reports (tests/data, copied from the national-gwr corpus) ----------------------


def _national(year: int) -> str:
    return (DATA / f"national-gwr-{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [1954, 2021])
def test_national_report_body_kept_and_only_the_licence_removed(year):
    original = _national(year)
    cleaned = clean.clean_document(original)
    licence = original.index("本作品是中华人民共和国的")
    assert cleaned.removed and all(r.start >= licence for r in cleaned.removed)
    assert {r.rule for r in cleaned.removed} == {"licence"}
    assert _compact(cleaned.text) == _kept(original, cleaned.removed)
    assert cleaned.text.endswith("中国梦不懈奋斗！" if year == 2021 else "推向新的更大的胜利。")


def test_1954_report_rejoined():
    paragraphs = clean.clean_text(_national(1954)).split("\n")
    assert "在听了刘少奇同志关于宪法草案的报告并进行了三天的讨论以后" in paragraphs[1]
    open_ended = [p for p in paragraphs if not re.search(r"[。！？；：][”’」』）]*$", p)]
    # the one paragraph the source itself leaves without a full stop
    assert [p[-12:] for p in open_ended] == ["逐行逐业改造资本主义商业的道路"[-12:]]
    assert len(paragraphs) == 95


def test_2021_report_title_and_split_word_rejoined():
    paragraphs = clean.clean_text(_national(2021)).split("\n")
    assert paragraphs[:4] == ["政府工作报告", "——2021年3月5日在第十三届全国人民代表大会第四次会议上", "国务院总理李克强", "各位代表："]
    assert any("交出一份人民满意、世界瞩目、可以载入史册的答卷。" in p for p in paragraphs)
    assert not any("\u200b" in p for p in paragraphs)


# --- on the seeds -------------------------------------------------------------------


def test_no_boilerplate_left_in_seeds(seed_corpus):
    for text in seed_corpus.documents["text"]:
        for line in text.split("\n"):
            for bad in BOILERPLATE_LINES:
                assert not (len(line) < 60 and bad in line), (bad, line)
            assert not clean.is_boilerplate(line), line


def test_seed_000_hard_wrapped_lines_rejoined(seed_corpus):
    text = seed_corpus.document("000_33b89863f3dbc27e")["text"]
    paragraphs = text.split("\n")
    assert len(paragraphs) == 5  # five sections of the article, each one paragraph
    assert all(p.endswith("。") for p in paragraphs)
    assert "中国梦关键一步" in text and "改善农民住房条件 1.3 万户" in text


def test_seed_003_one_line_split_at_numbering(seed_corpus):
    paragraphs = seed_corpus.paragraphs.query("doc_id == '003_75a5bbd56f8ce010'")["text"].tolist()
    assert len(paragraphs) > 100
    assert "一、“十三五”时期徐州经济社会发展取得重大历史性成就" in paragraphs
    assert "（一）主动适应新发展阶段，辩证看待机遇挑战" in paragraphs
    assert any(p.startswith("1、过去五年") for p in paragraphs)
    assert max(map(len, paragraphs)) < 1000
    assert not any("|" in p for p in paragraphs)


def test_seed_001_simplified_and_recorded(seed_corpus):
    doc = seed_corpus.document("001_534d44b1b875ba47")
    assert doc["script"] == "traditional"
    assert "泗洪将改革创新进行到底" in doc["text"] and "將" not in doc["text"]
    assert "將" in doc["original"]


def test_masked_numbers_kept_exactly(seed_corpus):
    doc = seed_corpus.document("002_049a35ec4ac63eb7")
    masks = lambda s: re.findall(r"X+", s)  # noqa: E731
    assert len(masks(doc["text"])) > 100
    assert masks(doc["text"]) == masks(doc["original"])


# --- properties ---------------------------------------------------------------------

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_cleaning_never_fails_and_is_idempotent(text):
    once = clean.clean_text(text)
    assert clean.clean_text(once) == once
    assert "\n\n" not in once


lines = st.text(alphabet=st.sampled_from(list("政府工作报告，。：加大减小下载】【责任编辑：相关报道 ab1\r\n\f\u2028\u200b|")), max_size=200)


@settings(max_examples=150, deadline=None)
@given(st.one_of(texts, lines))
def test_removals_point_into_the_input(text):
    cleaned = clean.clean_document(text)
    for r in cleaned.removed:
        assert text[r.start:r.end] == r.text and r.text.strip()
    assert _compact(cleaned.text) == _kept(text, cleaned.removed)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_width_normalisation_keeps_length(text):
    assert len(clean.normalize_width(text)) == len(text)
    assert clean.normalize_width(clean.normalize_width(text)) == clean.normalize_width(text)


# --- the combined matcher names the pattern the loop over the patterns names -------------------
def _first_by_loop(line, patterns):
    if len(line) > clean.BOILERPLATE_MAX_LINE:
        return None
    return next((p for p in patterns if p.regex.search(line)), None)


def _real_lines():
    seeds = DATA.parent.parent / "seeds"
    lines = [line.strip() for path in sorted(DATA.glob("*.txt")) + sorted(seeds.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").split("\n")]
    return [line for line in lines if line] + [
        "您的位置： > 云南要闻", "责任编辑：", "分享到：", "【字体：大 中 小】", "阅读 1234 次", "1234次阅读 ",
        "e10adc3949ba59abbe56e057f20f883e 附件", "加大 | 减小 | 还原", "打击倒卖", "来源：人民网", "2021-02-27 15:59",
        "首页 > 政务公开 > 政府工作报告", "版权所有 © 2021", "本作品在全世界都属于公有领域",
    ]


@pytest.mark.parametrize("extra", [
    (),
    (re.compile(r"(\d)\1{3}"),),  # a back-reference: cannot join an alternation
    (re.compile("COPYRIGHT", re.IGNORECASE),),  # a global flag
    (re.compile(r"(?P<word>下载)"),),  # a named group
])
def test_matcher_names_the_first_matching_pattern(extra):
    patterns = clean._as_patterns(tuple(clean.default_patterns()) + extra)
    matcher = clean._Matcher(patterns)
    lines = _real_lines() + ["1111 次", "Copyright 2020", "下载"]
    assert [matcher.first(x) for x in lines] == [_first_by_loop(x, patterns) for x in lines]
    assert any(matcher.first(x) is not None for x in lines)


@pytest.mark.parametrize("extra", [
    (),
    (re.compile(r"(\d)\1{3}"),),  # not combined: every line is tried pattern by pattern
    # no literal announces these
    (re.compile("(?i:copyright)"), re.compile(r"\d{4}年\d{1,2}月"), re.compile("^[a-z]+://")),
    (re.compile("免费.{0,4}下载"), re.compile("^\\[?附件"), re.compile("^(?:x|y)?z")),
])
def test_matcher_on_all_lines_of_a_document_names_what_the_loop_names(extra):
    """The quick path (first characters of anchored patterns, one scan for the literals floating
    ones need) gives each line the pattern the loop over the patterns gives it."""
    patterns = clean._as_patterns(tuple(clean.default_patterns()) + extra)
    matcher = clean._Matcher(patterns)
    lines = _real_lines() + ["", "1111 次", "Copyright 2020", "2021年3月", "http://x", "免费资料下载", "[附件",
                             "z", "xz", "在 1234次阅读 之后", "长" * 81]
    kinds = ["text" if x else "blank" for x in lines]
    expected = [_first_by_loop(x, patterns) if k == "text" else None for x, k in zip(lines, kinds)]
    assert matcher.first_of_lines(lines, kinds) == expected
    assert sum(p is not None for p in expected) >= 20


@pytest.mark.parametrize("chunk", [1, 7, 50, 1 << 20])
def test_literal_scan_by_stretches_finds_the_lines_of_the_whole_scan(chunk, monkeypatch):
    """The lines joined and scanned a stretch at a time (a stretch of one line, of a few, of all)
    are the lines in which the scan of all the lines joined finds a literal."""
    lines = _real_lines() + ["", "责任编辑：王五", "来源：新华网", "扫一扫在手机打开当前页", "正文。"]
    scan = re.compile("责任编辑|来源|扫一扫|手机")
    joined = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    expected = {max(i for i, a in enumerate(starts) if a <= m.start()) for m in scan.finditer(joined)}
    monkeypatch.setattr(clean, "_SCAN_CHUNK", chunk)
    found, every = clean._lines_holding((scan, None), lines)
    assert found == expected and len(expected) >= 3
    assert every is clean._EVERY_LINE


@pytest.mark.parametrize("expression, pieces", [
    ("给领导留言", ["给领导留言"]),
    (r"\d+\s*次?(?:阅读|浏览)(?:\s|$)", ["阅读", "浏览"]),
    (r"(?:^|[\s【])(?i:[0-9a-f]{32})", None),  # only a class (repeated) is required: no literal
    ("(会员|qq)群", ["群"]),
    ("建议使用.{0,12}浏览器", ["建议使用"]),
    ("(?<=来源)王五", ["来源"]),  # a lookbehind's text is in the line too
    ("x*", None),  # can match nothing
    ("(?!广告)正文", ["正文"]),  # a negative lookahead requires nothing
    (r"\S\s*[>»›]\s*\S", [">", "»", "›"]),  # a class of characters: each one a literal
    ("(?i:[a-c])群", ["群"]),
])
def test_required_literals(expression, pieces):
    regex = re.compile(expression)
    assert clean._required_literals(regex) == pieces
    for line in ("给领导留言", "共1234次阅读 ", "会员群", "建议使用IE浏览器", "来源王五", "正文", "qq群"):
        if pieces and regex.search(line):  # every match holds one of the literals
            assert any(piece in line for piece in pieces)


@pytest.mark.parametrize("text", ["增长６．５％", "\ud800１２", "\ud800\udc00１", "𠀀ＡＢ\u3000", "﹐﹑﹔", "", "纯文本"])
def test_width_folding_is_the_translation_table(text):
    assert clean._fold_width(text) == text.translate(clean._FULL_TO_HALF)


def test_han_test_covers_exactly_the_han_ranges():
    import numpy as np

    codes = np.arange(0x110000, dtype=np.uint32)
    expected = np.zeros(len(codes), dtype=bool)
    for a, b in clean._HAN_RANGES:
        expected[a:b + 1] = True
    assert (clean._is_han(codes) == expected).all()


@pytest.mark.parametrize("expressions, gate", [
    (["给领导留言", r"\d+\s*次?(?:阅读|浏览)"], r"(?=[\d给])"),
    ([r"(?:^|[\s【])(?i:[0-9a-f]{32})"], r"(?=[\s【]|(?i:[0-9a-f]))"),
    (["(会员|qq)群", "(?<=：)王五"], "(?=[q会王])"),
    ([".{0,6}外传"], ""),  # may start with any character: no gate
    (["[^。]+来源"], ""),
    (["x*"], ""),  # can match nothing at all
])
def test_first_character_gate(expressions, gate):
    regexes = [re.compile(x) for x in expressions]
    assert clean._first_character_gate(regexes) == gate
    if gate:  # every match starts at a character the gate lets through
        for line in ("给领导留言", "共1234次阅读", "x " + "a" * 32, "会员群", "：王五", "qq群"):
            found = [m.start() for r in regexes if (m := r.search(line))]
            assert all(re.match(gate, line[i:]) for i in found)
