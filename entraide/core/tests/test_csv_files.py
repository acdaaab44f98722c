import pytest

from entraide.core.csv_files import ErrorCollector, FileRejected, RowError, decode, records

COLUMNS = ("name", "town", "note")
REQUIRED = ("name", "town")


def _read(text: str, **kwargs) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    collector = ErrorCollector()
    found = list(records(text, columns=COLUMNS, required=REQUIRED, collector=collector, **kwargs))
    return found, [str(error) for error in collector.errors]


def test_it_decodes_utf8_with_and_without_a_byte_order_mark():
    assert decode("name,town\nLéa,Liège\n".encode()) == "name,town\nLéa,Liège\n"
    assert decode(b"\xef\xbb\xbfname,town\n") == "name,town\n"


def test_it_rejects_a_file_that_is_not_utf8_on_the_line_of_the_first_bad_byte():
    with pytest.raises(FileRejected) as rejected:
        decode("name,town\nLéa,Liège\n".encode("latin-1"))
    assert rejected.value.error.line == 2
    assert "UTF-8" in rejected.value.error.message


def test_it_rejects_an_empty_file():
    with pytest.raises(FileRejected) as rejected:
        decode(b" \r\n")
    assert rejected.value.error == RowError(1, "", "The file is empty.")


def test_it_reads_semicolons_and_capitalised_headers_and_fills_missing_columns():
    found, errors = _read("Name;TOWN\r\nLéa;Liège, Outremeuse\r\n")
    assert errors == []
    assert found == [(2, {"name": "Léa", "town": "Liège, Outremeuse", "note": ""})]


def test_it_numbers_records_by_their_first_line_and_skips_blank_lines():
    found, errors = _read('name,town,note\n\nAnne,Namur,"two\nlines"\n , ,\nJo,Gent,\n')
    assert errors == []
    assert [line for line, _cells in found] == [3, 6]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "name,town,colour",
            "line 1: Unknown column(s): colour. The columns are: name,town,note.",
        ),
        ("name,town,name", "line 1: Repeated column(s): name."),
        ("name,note", "line 1: Missing column(s): town."),
    ],
)
def test_it_reports_a_bad_header_and_reads_no_record(header, message):
    found, errors = _read(header + "\nLéa,Liège,x\n")
    assert found == []
    assert errors == [message]


def test_it_reports_a_line_with_more_values_than_columns_and_goes_on():
    found, errors = _read("name,town\nLéa,Liège,extra\nJo,Gent\n")
    assert errors == ["line 2: This line has 3 values but the header has 2 columns."]
    assert [line for line, _cells in found] == [3]


def test_it_stops_after_the_maximum_number_of_records():
    found, errors = _read("name,town\nA,B\nC,D\n\nE,F\n", max_records=2)
    assert [line for line, _cells in found] == [2, 3]
    assert errors == ["line 5: Import at most 2 lines at once."]
