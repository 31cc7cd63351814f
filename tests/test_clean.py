import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import clean

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


@settings(max_examples=200, deadline=None)
@given(texts)
def test_width_normalisation_keeps_length(text):
    assert len(clean.normalize_width(text)) == len(text)
    assert clean.normalize_width(clean.normalize_width(text)) == clean.normalize_width(text)
