"""Name structure: titles, particles, legal forms, numbers, patronymics, Abd al- compounds."""

from __future__ import annotations

from discreet.text import parse_name, reset_caches, terms


def kinds(text: str, cls: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in parse_name(text, cls)]


def test_titles_and_particles_are_marked() -> None:
    assert kinds("Shaikh Isa Bin Tarif Al Bin Ali", "person") == [
        ("shaikh", "title"), ("isa", "name"), ("bin", "particle"), ("tarif", "name"),
        ("al", "particle"), ("bin", "particle"), ("ali", "name")]
    assert kinds("Usama ibn Ladin", "person")[1] == ("bin", "particle")


def test_legal_forms_across_languages_and_scripts() -> None:
    llc = {"LLC", "OOO", "ООО", "Limited Liability Company", "o.O.O.",
           "Общество с ограниченной ответственностью", "Societatea cu Răspundere Limitată"}
    for form in llc:
        assert kinds(f"{form} Iskusstvo", "org")[0] == ("llc", "legal"), form
    assert kinds("АО Муромский завод", "org")[0] == ("jsc", "legal")
    assert kinds("PAO Gazprom", "org")[0] == ("jsc", "legal")
    assert kinds("Siemens Aktiengesellschaft", "org")[1] == kinds("Siemens AG", "org")[1]


def test_generic_words_numbers_and_abbreviations() -> None:
    assert kinds("Global Trading Company Ltd", "org") == [
        ("global", "generic"), ("trading", "generic"), ("co", "legal"), ("ltd", "legal")]
    assert kinds("Brigade Forty-Four", "org") == [("brigade", "name"), ("44", "number")]
    assert kinds("First Bank Int'l", "org")[2] == ("international", "generic")


def test_abd_compounds_split_one_way() -> None:
    forms = ["Abd al-Aziz", "Abdulaziz", "Abdul Aziz", "Abdel Aziz", "ABD-AL-AZIZ"]
    assert {tuple(t.text for t in parse_name(f, "person")) for f in forms} == {
        ("abdul", "aziz")}
    assert [t.text for t in parse_name("Abdullah", "person")] == ["abdullah"]


def test_patronymics_are_recognised() -> None:
    assert kinds("Sergey Viktorovich Lavrov", "person")[1] == ("viktorovich", "patronymic")
    assert kinds("Volodymyr Oleksandrovych Zelenskyy", "person")[1][1] == "patronymic"


def test_person_names_keep_short_words_that_look_like_forms() -> None:
    assert kinds("Jang Se Ok", "person") == [("jang", "name"), ("se", "name"), ("ok", "name")]


def test_reset_caches_rebuilds_the_lists() -> None:
    before = terms()
    reset_caches()
    assert terms() is not before
    assert terms().forms == before.forms


def test_arabic_script_allah_and_abd_compounds() -> None:
    def texts(name: str) -> tuple[str, ...]:
        return tuple(t.text for t in parse_name(name, "person"))

    assert texts("حبیب الله رشاد") == ("hbybllh", "rshd")  # Habibullah Reshad
    assert texts("عبد الله") == ("bdllh",)  # Abdullah, as one word like the Latin
    assert texts("عبدالله") == ("bdllh",)
    assert texts("الله نور") == ("allah", "nwr")
    assert texts("عبدالرحمان زاهد") == ("abdul", "rhmn", "zhd")  # Abd al-Rahman joined
    assert texts("عبد الواحد شفيق") == ("abdul", "whd", "shfyq")
    assert texts("Abdul Rahman") == ("abdul", "rahman")


def test_a_legal_form_cut_off_at_the_end_of_a_name_is_still_read() -> None:
    cut = parse_name("TACTICAL MISSILES JOINT STOCK COMPAN", "org")
    assert cut[-1].kind == "legal" and cut[-1].family == "joint_stock"
    assert cut[-1].source == "joint stock compan"
    # only at the end, and only with enough of the last word left
    assert parse_name("ROSTEC JOINT STOCK COMP", "org")[-1].kind == "legal"
    assert parse_name("ROSTEC JOINT STOCK COM", "org")[-1].kind != "legal"
    assert parse_name("Limited Liab Partners", "org")[1].kind == "name"  # not at the end


def test_a_name_of_unknown_class_reads_forms_written_as_forms() -> None:
    """No schema (or yente's LegalEntity): a one-word form that is also a name is a legal
    form at the start or end of the name when written as one (dots; capitals for three
    letters or more) or when the name reads as an organisation's; elsewhere a name."""
    for name, form in (("Cementos Andinos S.A.", "jsc"), ("S.A. Cementos Andinos", "jsc"),
                       ("Molinos Rio S.A.L.", "jsc"), ("Fundación Sol A.C.", "ano"),
                       ("Ferrari S.p.A.", "jsc"), ("Polmex Sp. z o.o.", "llc"),
                       ("ТОВ Ромашка", "llc"), ("ТОО Казахмыс Медь", "llc"),
                       ("ЗАТ Укрнафта", "jsc"), ("Helios Trading SA", "jsc"),
                       ("Tiburon Shipping AG", "jsc"), ("Gorizont OOO", "llc"),
                       ("Astra Holding Ltd.", "ltd"), ("Vostok Bank SAL", "jsc")):
        parsed = kinds(name, "any")
        assert form in [t for t, k in parsed if k == "legal"], (name, parsed)
        assert kinds(name, "org") == parsed, name  # as an organisation's name reads it
    for name in ("Ali Sa", "Sa Ali", "SA, Ali", "Nguyen Van Sa", "Pat Smith", "PAT SMITH",
                 "Shem Tov", "Sal Khan", "Lee Ag Rong", "Kim As", "Ad Melkert"):
        assert all(k != "legal" for _, k in kinds(name, "any")), name
    assert kinds("Helios SA Trading", "any")[1] == ("sa", "name")  # not first or last


def test_a_name_that_is_only_a_legal_form_is_a_name() -> None:
    """"OOO" or "SL" alone is no company's legal form: read as words, it does not pair with
    every other form (the alias "SL" of SHINING PATH against a query "OOO")."""
    for text, cls in (("OOO", "any"), ("SL", "org"), ("GmbH", "org"), ("S.A.", "any"),
                      ("Joint Stock Company", "org")):
        assert all(kind == "name" for _, kind in kinds(text, cls)), text
    assert kinds("Joint Stock Company", "org") == [
        ("joint", "name"), ("stock", "name"), ("company", "name")]


# surnames of several locales whose phonetic key is a one-word legal form's ("Sall" ~ sal,
# "Thu" ~ too, "Watt" ~ vat, "Pratt" ~ prat, "Oud" ~ ood, "Sat" ~ zat, "Zak" ~ sac)
SOUNDS_LIKE_A_FORM = ["Sall", "Saal", "Zal", "Thu", "Tou", "Watt", "Wat", "Pratt", "Zak",
                      "Sack", "Oud", "Sat", "Zall", "Thoo", "Sakk", "Ould"]


def test_surnames_that_sound_like_a_form_stay_names() -> None:
    """A one-word form is read only as one of its written variants, never because a name
    shares its phonetic key: in a name of unknown class, a person's and an organisation's."""
    for surname in SOUNDS_LIKE_A_FORM:
        for name in (f"Macky {surname}", f"{surname} Macky", f"Nguyen Thi {surname}",
                     f"{surname.upper()}, Ahmed", f"Ahmed {surname.upper()}"):
            for cls in ("any", "person"):
                assert all(k != "legal" for _, k in kinds(name, cls)), (name, cls)
        # nor in an organisation's name: "Watt Trading", "Pratt Holding Ltd"
        assert kinds(f"{surname} Trading", "org")[0][1] == "name", surname
        assert kinds(f"Ahmed {surname} Holding Ltd", "org")[1][1] == "name", surname


def test_written_one_word_forms_still_read_as_forms() -> None:
    """The written variants (any case, with or without dots, Latin or Cyrillic) are still
    forms where they were: last or first word written as a form, or in an org's name."""
    for name, form in (("Gorizont TOO", "llc"), ("ТОО Казахмыс", "llc"),
                       ("ООД Мегастрой", "llc"), ("Megastroy OOD", "llc"),
                       ("ZAT Ukrnafta", "jsc"), ("ПРАТ Укрнафта", "jsc"),
                       ("Vostok Bank S.A.L.", "jsc"), ("Helios Trading SAL", "jsc"),
                       ("Cedar Holding Sal", "jsc"), ("Almaty Trading Too", "llc")):
        assert form in [t for t, k in kinds(name, "any") if k == "legal"], name
        assert form in [t for t, k in kinds(name, "org") if k == "legal"], name
    for name, form in (("Kazakhmys too", "llc"), ("Ukrnafta zat", "jsc"),
                       ("Ukrnafta prat", "jsc"), ("Mir sac", "jsc"), ("ПрАТ Укрнафта", "jsc")):
        assert (form, "legal") in kinds(name, "org"), name
    # a long form keeps its phonetic match: misspelt, it is no surname
    for cls in ("org", "any"):
        assert kinds("Siemens Aktiengeselschaft", cls)[1] == ("jsc", "legal"), cls
    assert "prat" in terms().name_like  # "Prat" is a surname too (Catalan)
    assert all(k != "legal" for _, k in kinds("Joan Prat", "any"))
