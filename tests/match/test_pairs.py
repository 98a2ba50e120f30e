"""Pair scores for every variation class, with real list names, and the negatives."""

from __future__ import annotations

import pytest

from discreet.match import DEFAULT_THRESHOLD, compare_names, explain_pair

SAME = [
    ("PUTIN, Vladimir Vladimirovich", "Владимир Владимирович Путин", "Person"),
    ("Wladimir Wladimirowitsch Putin", "Vladimir Vladimirovich PUTIN", "Person"),
    ("Mohammed bin Salman", "Muhammad bin Salman", "Person"),
    ("Usama bin Ladin", "Osama bin Laden", "Person"),
    ("Abdul Rahman", "Abdulrahman", "Person"),
    ("'Abd al-Aziz al-Nuristani", "Abdul Aziz Nooristani", "Person"),
    ("Kim Jong Un", "김정은", "Person"),
    ("Kim Jong-un", "KIM JONG UN", "Person"),
    ("Xi Jinping", "习近平", "Person"),
    ("Kyriakos Mitsotakis", "Κυριάκος Μητσοτάκης", "Person"),
    ("Barack Obama", "Բարակ Օբամա", "Person"),
    ("Barack Obama", "ბარაკ ობამა", "Person"),
    ("AMIR KHAN MOTAQI", "امیر خان متقی", "Person"),
    ("فرناندو بيريز", "Fernando Pérez", "Person"),  # vowels written as letters in Arabic
    ("محمد احمدی", "Mohammad Ahmadi", "Person"),
    ("حبیب الله رشاد", "Habibullah Reshad", "Person"),
    ("عبدالرحمان زاهد", "Abdul Rahman Zahed", "Person"),
    ("قصي صدام حسين التكريتي", "Qusay Saddam Hussein al-Tikriti", "Person"),
    ("ولی جان", "Walijan", "Person"),
    ("Vl\u0430dimir Put\u0456n", "Vladimir Putin", "Person"),
    ("Ig0r Sech1n", "Igor Sechin", "Person"),
    ("V. Putin", "Vladimir Putin", "Person"),
    ("Dr. Rami Makhlouf", "Rami Makhlouf", "Person"),
    ("VladimirPutin", "Vladimir Putin", "Person"),
    ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan", "Person"),
    ("Oboronnye Initsiativy OOO", "LLC Oboronnye Initsiativy", "Company"),
    ("ООО Оборонные инициативы", "Oboronnye Initsiativy LLC", "Company"),
    ("OAO Gazprom", "Open Joint Stock Company Gazprom", "Company"),
    ("Siemens Aktiengesellschaft", "Siemens AG", "Company"),
    # acronyms of organisations, function words left out of the initials
    ("IRGC", "Islamic Revolutionary Guard Corps", "Organization"),
    ("Banco Nacional de Cuba", "BNC", "Organization"),
    # Latvian and Lithuanian nominative endings
    ("Sergejs Ivanovs", "Sergei Borisovich IVANOV", "Person"),
    ("Vladimiras Putinas", "Vladimir PUTIN", "Person"),
    # Belarusian against Russian romanisation (EU list spellings of one person)
    ("Sviatlana Rastsislavauna AKULICH", "Svetlana Rostislavovna OKULICH", "Person"),
    ("Aliaksei Viktaravich GUSEU", "Aleksei Viktorovich GUSEV", "Person"),
    ("Uladzimir Siarheevich ZAKHARAU", "Vladimir Sergeevich ZAKHAROV", "Person"),
    # a legal form cut off by a fixed-width field
    ("ROSOBORONEXPORT JOINT STOCK COMPA", "ROSOBORONEXPORT JOINT STOCK COMPANY", "Company"),
    # a lineage shortened: ancestors left out
    ("Hamza bin Laden", "Hamza bin Usama bin Muhammad bin Laden", "Person"),
    # Chinese characters against Wade-Giles, Hangul against McCune-Reischauer (North
    # Korean designations) and customary spellings
    ("毛泽东", "Mao Tse-tung", "Person"),
    ("谢玉华", "HSIEH Yu-hua", "Person"),
    ("리병철", "RI Pyong Chol", "Person"),
    ("박정천", "PAK Jong Chon", "Person"),
    ("최룡해", "CHOE Ryong Hae", "Person"),
    ("오영철", "OH Young Chul", "Person"),
]

DIFFERENT = [
    ("Boris Abramovich", "Roman Abramovich", "Person"),
    ("Mark Zuckermann", "Mark Zuckerberg", "Person"),
    ("Mohammed Ahmed Al-Rawi", "Mohammed Hassan Al-Rawi", "Person"),
    ("Sergey Ivanov", "Sergey Lavrov", "Person"),
    ("BARZAN IBRAHIM HASSAN AL-MOSULI", "BARZAN IBRAHIM HASSAN AL-TIKRITI", "Person"),
    ("Usama bin Laden", "Shaikh Isa Bin Tarif Al Bin Ali", "Person"),
    ("Trading Company Ltd", "Global Trading Company Ltd", "Company"),
    ("Volkswagen AG", "Siemens AG", "Company"),
    ("ANO Iskusstvo Krasoty", "LLC Iskusstvo Krasoty", "Company"),
    ("C.B.A. Company", "A.B.C. Company", "Company"),
    ("习近朋", "习近平", "Person"),
    # another Chinese or Korean syllable is another name, however alike it looks
    ("谢玉华", "SHI Yuhua", "Person"),
    ("张艳", "ZHANG Jian", "Person"),
    ("陈雪", "CHEN Zhu", "Person"),
    ("장상철", "JANG Song Chol", "Person"),
    ("양병철", "JANG Myong Chol", "Person"),
    ("이영호", "HO Yong Il", "Person"),  # 이 is the syllable I, not the initial of Il
    # vowel-less Latin acronyms are not abjad transliterations
    ("Simon", "JSC SMN", "Company"),
    ("Казаков Групп", "KSK Group", "Company"),
    # a son and his father: the lineage reversed
    ("Salman bin Muhammad Al Saud", "Muhammad bin Salman Al Saud", "Person"),
    ("Hamza bin Usama bin Laden", "Usama bin Hamza bin Laden", "Person"),
    # different ancestors are a contradiction, not a shortened lineage
    ("Ali bin Omar bin Khalid Al-Harbi", "Ali bin Hassan bin Khalid Al-Harbi", "Person"),
    # initials spell acronyms of organisations only, never of people
    ("Ali Hassan", "Abdul Latif Imran Hassan", "Person"),
    # two letters stand for too many names
    ("UN", "United Nations", "Organization"),
]


@pytest.mark.parametrize(("a", "b", "schema"), SAME)
def test_variants_of_one_name_alert(a: str, b: str, schema: str) -> None:
    assert compare_names(a, b, schema) >= DEFAULT_THRESHOLD, explain_pair(a, b, schema).to_text()


@pytest.mark.parametrize(("a", "b", "schema"), DIFFERENT)
def test_different_names_do_not_alert(a: str, b: str, schema: str) -> None:
    assert compare_names(a, b, schema) < DEFAULT_THRESHOLD, explain_pair(a, b, schema).to_text()


def test_scores_are_symmetric_enough_and_bounded() -> None:
    for a, b, schema in SAME + DIFFERENT:
        one, two = compare_names(a, b, schema), compare_names(b, a, schema)
        assert 0.0 <= one <= 1.0
        assert abs(one - two) < 0.15


def test_omitted_patronymic_costs_less_than_a_contradicting_one() -> None:
    omitted = compare_names("Sergey Lavrov", "Sergey Viktorovich Lavrov", "Person")
    contradicting = compare_names("Sergey Ivanovich Lavrov", "Sergey Viktorovich Lavrov",
                                  "Person")
    assert omitted >= DEFAULT_THRESHOLD > contradicting


def test_explanation_names_acronyms_endings_and_reversed_lineages() -> None:
    acronym = explain_pair("IRGC", "Islamic Revolutionary Guard Corps", "Organization")
    assert [(t.query, t.method) for t in acronym.tokens] == [("irgc", "acronym")]
    assert "initials of the words" in acronym.to_text()
    ending = explain_pair("Vladimirs Putins", "Vladimir PUTIN", "Person")
    assert {t.method for t in ending.tokens} == {"declined"}
    crossed = explain_pair("Salman bin Muhammad", "Muhammad bin Salman", "Person")
    assert "lineages are reversed" in crossed.to_text()


def test_explanation_says_how_each_token_matched() -> None:
    exp = explain_pair("Владимир Путин", "Vladimir Vladimirovich PUTIN", "Person")
    methods = {t.query: t.method for t in exp.tokens}
    assert methods == {"vladimir": "transliterated", "putin": "transliterated"}
    assert exp.unmatched_listed == ("vladimirovich",)
    data = exp.to_dict()
    assert data["tokens"][0]["similarity"] == 1.0
    assert "not in the query: vladimirovich" in exp.to_text()


def test_explanation_names_fuzzy_initial_and_legal_form() -> None:
    fuzzy = explain_pair("Vladimir Pulin", "Vladimir Putin", "Person")
    assert ("pulin", "putin", "fuzzy") in {(t.query, t.listed, t.method) for t in fuzzy.tokens}
    initial = explain_pair("V. Putin", "Vladimir Putin", "Person")
    assert "initial" in {t.method for t in initial.tokens}
    legal = explain_pair("Gazprom OOO", "LLC Gazprom", "Company")
    assert "legal-form" in {t.method for t in legal.tokens}
