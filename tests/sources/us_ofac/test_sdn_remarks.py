"""OFAC Remarks parsing, on remark strings quoted from the real published sdn.csv files."""

from __future__ import annotations

from discreet.model import DateSpec, Entity, Identifier, Link, Name
from discreet.sources.us_ofac.sdn_remarks import (
    apply_remarks,
    parse_identifier,
    split_remarks,
    strip_terminator,
)

# ent 10278, ofac_sdn_csv/watchman_sample_2025-05/sdn.csv
LOGAN = ("DOB 28 Jul 1963; POB Toledo District, Belize; Passport P0017003 (Belize); "
         "SSN 561-77-9011 (United States); a.k.a. 'BURTON BURGESS'.")
# ent 11313, history_jackdwyer/sdn_2024-05-03.csv: semicolons inside parentheses
ROBOW = ("DOB 1969; alt. DOB 10 Oct 1969; POB Xudur, Somalia; alt. POB Keren, Eritrea; "
         "nationality Eritrea; Passport 0310857 (Eritrea) issued 21 Aug 2006 expires 20 Aug 2008; "
         "National ID No. 1372584 (Kenya); (Following data derived from an Eritrean passport "
         "issued under the alias name of Mukhtar Abdullahi Ali: Alt. DOB: 10 October 1969; "
         "Alt. POB: Keren Eritrea; nationality: Eritrean; National ID No.: 1372584, Kenya; "
         "Passport No.: 0310857, Eritrea, Issue Date 21 August 2006, Expire Date 20 August "
         "2008); a.k.a. 'ABU MANSUR'; a.k.a. 'ABU MANSOUR'.")
# ent 29702, watchman_sample_2025-05/sdn.csv
LIFSHITS = ("DOB 26 Dec 1992; nationality Russia; Email Address mycryptodeals@yandex.ru; "
            "alt. Email Address artemlv@hotmail.com; Gender Male; Digital Currency Address - XBT "
            "12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz; alt. Digital Currency Address - XBT "
            "1DT3tenf14cxz9WFNxmYrXFbB6TFiVWA9U; Digital Currency Address - ETH "
            "0x901bb9583b24d97e995513c6778dc6888ab6870e; Secondary sanctions risk: "
            "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201; Phone Number "
            "79110354982; Passport 719032284.")
# ent 44525, watchman_sample_2025-05/sdn.csv
BEL_KAP = ("Organization Established Date 1998; Tax ID No. 52-2083095 (United States); "
           "Business Registration Number 0582030 (Connecticut) (United States); alt. Business "
           "Registration Number M99000000961 (Florida) (United States); Linked To: OPEN JOINT "
           "STOCK COMPANY BYELORUSSIAN STEEL WORKS MANAGEMENT COMPANY OF HOLDING BYELORUSSIAN "
           "METALLURGICAL COMPANY.")


def _apply(text: str, schema: str = "Person") -> Entity:
    entity = Entity("ofac-1", schema)
    apply_remarks(entity, text)
    return entity


def test_individual_remark_gives_dob_pob_ids_and_weak_alias() -> None:
    entity = _apply(LOGAN)
    assert entity.remarks == [LOGAN]
    assert entity.birth_dates == [DateSpec("1963-07-28")]
    assert entity.birth_places == ["Toledo District, Belize"]
    assert entity.identifiers == [
        Identifier("passport", "P0017003", "bz", "Passport"),
        Identifier("national_id", "561-77-9011", "us", "SSN"),
    ]
    assert entity.names == [Name("BURTON BURGESS", "weak")]


def test_semicolons_inside_parentheses_stay_in_one_segment() -> None:
    segments = split_remarks(strip_terminator(ROBOW))
    assert len(segments) == 10
    assert segments[7].startswith("(Following data derived")
    assert segments[7].endswith("Expire Date 20 August 2008)")
    entity = _apply(ROBOW)
    assert entity.birth_dates == [DateSpec("1969"), DateSpec("1969-10-10")]
    assert entity.birth_places == ["Xudur, Somalia", "Keren, Eritrea"]
    assert entity.nationalities == ["er"]
    assert Identifier("passport", "0310857", "er", "Passport",
                      "issued 21 Aug 2006 expires 20 Aug 2008") in entity.identifiers
    assert Identifier("national_id", "1372584", "ke", "National ID No.") in entity.identifiers
    assert [n.value for n in entity.names] == ["ABU MANSUR", "ABU MANSOUR"]


def test_dob_variants_from_real_remarks() -> None:
    # ent 12057 (sdn_2024-05-03): "DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961"
    entity = _apply("DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961; alt. DOB 1953")
    assert entity.birth_dates == [DateSpec("1951", "1953"), DateSpec("1960", "1962"),
                                  DateSpec("1961-04"), DateSpec("1953")]
    # ent 7782: "DOB circa 1951; POB Foca, Bosnia-Herzegovina."
    entity = _apply("DOB circa 1951; POB Foca, Bosnia-Herzegovina.")
    assert entity.birth_dates == [DateSpec("1951", None, True)]
    assert entity.birth_places == ["Foca, Bosnia-Herzegovina"]


def test_comma_inside_country_value() -> None:
    # ent 11648 (sdn_2024-05-03)
    entity = _apply("DOB 1964; alt. DOB 28 Aug 1962; nationality Korea, North; Passport 290320764")
    assert entity.nationalities == ["kp"]
    assert entity.identifiers == [Identifier("passport", "290320764", None, "Passport")]


def test_crypto_email_phone_gender() -> None:
    entity = _apply(LIFSHITS)
    assert entity.genders == ["male"]
    assert entity.properties["email"] == ["mycryptodeals@yandex.ru", "artemlv@hotmail.com"]
    assert entity.properties["phone"] == ["79110354982"]
    crypto = [i for i in entity.identifiers if i.type == "crypto"]
    assert crypto == [
        Identifier("crypto", "12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz", None,
                   "Digital Currency Address - XBT"),
        Identifier("crypto", "1DT3tenf14cxz9WFNxmYrXFbB6TFiVWA9U", None,
                   "Digital Currency Address - XBT"),
        Identifier("crypto", "0x901bb9583b24d97e995513c6778dc6888ab6870e", None,
                   "Digital Currency Address - ETH"),
    ]
    assert entity.identifiers[-1] == Identifier("passport", "719032284", None, "Passport")


def test_registration_tax_link_and_established_date() -> None:
    entity = _apply(BEL_KAP, "Organization")
    assert entity.properties["incorporationDate"] == ["1998"]
    assert entity.identifiers == [
        Identifier("tax_id", "52-2083095", "us", "Tax ID No."),
        Identifier("registration", "0582030", "us", "Business Registration Number",
                   "(Connecticut)"),
        Identifier("registration", "M99000000961", "us", "Business Registration Number",
                   "(Florida)"),
    ]
    assert entity.links == [Link("Linked To", "OPEN JOINT STOCK COMPANY BYELORUSSIAN STEEL "
                                 "WORKS MANAGEMENT COMPANY OF HOLDING BYELORUSSIAN "
                                 "METALLURGICAL COMPANY")]


def test_vessel_imo_and_previous_names() -> None:
    # ent 4243 EBANO (sdn_2024-05-03)
    entity = _apply("Vessel Registration Identification IMO 7406784; f.k.a. 'ANA I'; "
                    "f.k.a. 'SAND SWAN'.", "Vessel")
    assert entity.identifiers == [Identifier("imo", "7406784", None,
                                             "Vessel Registration Identification IMO")]
    assert entity.names == [Name("ANA I", "previous"), Name("SAND SWAN", "previous")]


def test_other_identifier_labels() -> None:
    assert parse_identifier("NIT # 800018928-0 (Colombia)") == Identifier(
        "tax_id", "800018928-0", "co", "NIT #")
    assert parse_identifier("SWIFT/BIC HAVIGB2L") == Identifier(
        "swift_bic", "HAVIGB2L", None, "SWIFT/BIC")
    assert parse_identifier("Registration ID CH-660.0.699.004-7 (Switzerland)") == Identifier(
        "registration", "CH-660.0.699.004-7", "ch", "Registration ID")
    assert parse_identifier("Cedula No. 6068015 (Colombia)") == Identifier(
        "national_id", "6068015", "co", "Cedula No.")
    assert parse_identifier("R.F.C. DIB-771110-HQ1 (Mexico)") == Identifier(
        "tax_id", "DIB-771110-HQ1", "mx", "R.F.C.")
    assert parse_identifier("Identification Number IMO 9339301") == Identifier(
        "imo", "9339301", None, "Identification Number")
    assert parse_identifier("Secondary sanctions risk: section 1(b)") is None


def test_website_and_telephone() -> None:
    # ent 12685 (watchman_sample_2025-05)
    entity = _apply("Website www.gicdf.org; Email Address info@gicdf.org; Registration ID "
                    "CH-660.0.699.004-7 (Switzerland); Telephone No. (218) (0)214778301.",
                    "Organization")
    assert entity.properties == {"website": ["www.gicdf.org"], "email": ["info@gicdf.org"],
                                 "phone": ["(218) (0)214778301"]}


def test_terminator_kept_after_abbreviations() -> None:
    assert strip_terminator("Linked To: HIZBALLAH.") == "Linked To: HIZBALLAH"
    assert strip_terminator("Linked To: ACME S.A.") == "Linked To: ACME S.A."
    assert strip_terminator("Linked To: D'S SUPERMARKET COMPANY LTD.") == (
        "Linked To: D'S SUPERMARKET COMPANY LTD.")


def test_weak_alias_with_apostrophes_and_blank_remarks() -> None:
    # sdn_2024-05-03: "a.k.a. 'AL-WARD, 'Abd'" and "a.k.a. 'MERA'I'."
    entity = _apply("a.k.a. 'AL-WARD, 'Abd'; a.k.a. 'MERA'I'.")
    assert [n.value for n in entity.names] == ["AL-WARD, 'Abd", "MERA'I"]
    empty = _apply("   ")
    assert empty.remarks == [] and empty.names == []
