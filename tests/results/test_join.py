"""The join of a result file and its journal: chunked, in config order, robust to a kill
between a case's file and its row; shards merged in the run's order even when unfinished."""

import json
import os
import time

import h5py
import pytest
from test_results import make_record

from battsim.cachedir import prune_stale
from battsim.results import ResultWriter, case_order, join, read_result
from battsim.results.store import journal_of
from battsim.sweep.merge import merge_files

IDS = ["aaaa", "bbbb", "cccc", "dddd", "eeee"]


def _summary(path):
    with h5py.File(path, "r") as f:
        s = f["summary"]
        return ([v for v in s["case_id"].asstr()[()]], [v for v in s["status"].asstr()[()]],
                list(s["ambient_C"][()]), json.loads(s.attrs["columns"]))


def _record(i, status="ok"):
    record = make_record(IDS[i], 25.0 - 10 * i, status)
    record.params["custom_key"] = i  # a swept key outside the fixed schema: kind int
    return record


def test_a_join_in_chunks_equals_a_join_at_once(tmp_path, monkeypatch):
    whole, chunked = tmp_path / "whole.h5", tmp_path / "chunked.h5"
    with ResultWriter(whole, "", "h", {}, case_ids=IDS) as writer:
        for i in (4, 2, 0, 3, 1):  # finished out of order, as workers finish them
            writer.write_case(_record(i))
    monkeypatch.setattr(join, "CHUNK", 2)
    with ResultWriter(chunked, "", "h", {}, case_ids=IDS) as writer:  # three cases, then a resume with two
        for i in (4, 2, 0):
            writer.write_case(_record(i))
    with ResultWriter(chunked, "", "h", {}, case_ids=IDS) as writer:
        assert writer.finished() == {"aaaa", "cccc", "eeee"}
        for i in (3, 1):
            writer.write_case(_record(i))
    assert _summary(chunked) == _summary(whole)
    assert _summary(whole)[0] == IDS  # the config's order, not the finishing order
    with h5py.File(chunked, "r") as f:
        assert f["summary/custom_key"].attrs["kind"] == "int" and list(f["cases"]) == sorted(IDS)
    assert case_order(chunked) == IDS


def test_a_kill_between_a_cases_file_and_its_row_loses_nothing(tmp_path):
    path = tmp_path / "r.h5"
    writer = ResultWriter(path, "", "h", {}, case_ids=IDS)
    for i in range(3):
        writer.write_case(_record(i, "failed" if i == 1 else "ok"))
    writer._lock.unlink()  # the writer is killed: no join, no lock removal
    rows = journal_of(path) / "rows.jsonl"
    lines = rows.read_text().splitlines(keepends=True)
    rows.write_text(lines[0] + lines[1] + lines[2][:40])  # the last row cut mid-line by the kill
    (journal_of(path) / "cases" / "bbbb.h5").unlink()  # and a row whose case file is gone
    with ResultWriter(path, "", "h", {}, case_ids=IDS) as again:
        assert again.finished() == {"aaaa", "cccc"}  # cccc from its own file, bbbb runs again
        again.write_case(_record(1))
    result = read_result(path)
    assert [r.case_id for r in result] == IDS[:3] and all(r.ok for r in result)
    assert not journal_of(path).exists()


def test_a_retry_keeps_the_failed_row_until_a_new_result_replaces_it(tmp_path):
    path = tmp_path / "r.h5"
    with ResultWriter(path, "", "h", {}, case_ids=IDS[:2]) as writer:
        writer.write_case(_record(0))
        writer.write_case(_record(1, "failed"))
    with ResultWriter(path, "", "h", {}, retry_failed=True, case_ids=IDS[:2]) as writer:
        assert writer.finished() == {"aaaa"}  # interrupted before the retry finished
    assert _summary(path)[1] == ["ok", "failed"]


def test_unfinished_shards_merge_in_the_runs_order(tmp_path):
    run = IDS  # cases 0..4 of one run; shard 1/2 holds 0, 2, 4 and shard 2/2 holds 1, 3
    s1, s2 = tmp_path / "s1.h5", tmp_path / "s2.h5"
    with ResultWriter(s1, "", "run:1/2", {}, case_ids=run[0::2], run_cases_total=5) as writer:
        for i in (0, 4):  # case 2 never finished
            writer.write_case(_record(i))
    with ResultWriter(s2, "", "run:2/2", {}, case_ids=run[1::2], run_cases_total=5) as writer:
        for i in (3, 1):
            writer.write_case(_record(i))
    merged = tmp_path / "all.h5"
    assert merge_files([s2, s1], merged) == 4
    assert _summary(merged)[0] == ["aaaa", "bbbb", "dddd", "eeee"]
    attrs = read_result(merged).attrs
    assert attrs["run_cases_total"] == 5 and attrs["cases_total"] == 5
    assert read_result(s1).attrs["cases_total"] == 3 and read_result(s1).attrs["run_cases_total"] == 5


def test_stale_cache_entries_of_other_versions_are_pruned(tmp_path):
    folder = tmp_path / "references"
    folder.mkdir()
    current, old, fresh_other = (folder / n for n in ("k-abc.json", "k-old.json", "j-new.json"))
    for path in (current, old, fresh_other):
        path.write_text("{}")
    past = time.time() - 3 * 24 * 3600
    os.utime(current, (past, past))
    os.utime(old, (past, past))
    assert prune_stale(folder, "abc") == 1
    assert current.exists() and fresh_other.exists() and not old.exists()
    assert prune_stale(tmp_path / "missing", "abc") == 0


@pytest.mark.parametrize("chunk", [1, 3])
def test_an_old_file_read_in_scattered_chunks(tmp_path, monkeypatch, chunk):
    path = tmp_path / "r.h5"
    with ResultWriter(path, "", "h", {}, case_ids=IDS) as writer:
        for i in range(5):
            writer.write_case(_record(i))
    monkeypatch.setattr(join, "CHUNK", chunk)
    reordered = list(reversed(IDS))  # the same cases in another order: rows picked from all over the file
    with ResultWriter(path, "", "h", {}, case_ids=reordered) as writer:
        writer.write_case(_record(2))
    assert _summary(path)[0] == reordered
    assert _summary(path)[2] == [-15.0, -5.0, 5.0, 15.0, 25.0]
