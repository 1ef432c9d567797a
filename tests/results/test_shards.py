"""Shards of a run (--shard I/N) merged equal the whole run; files of different runs are not merged."""

import pytest

from battsim.cli import main
from battsim.results import read_result
from battsim.sweep.merge import parse_shard, shard_indices

CONFIG = "[cell]\nchemistry = \"lfp-graphite\"\n[climate]\nambient_C = [25, 15, 5]\n[discharge]\nc_rate = 3.0\n"


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    return status, capsys.readouterr()


def _rows(path):
    return [(r.case_id, r.status, {k: None if v != v else v for k, v in r.metrics.items()}) for r in read_result(path)]


def test_slices_are_deterministic_and_cover_every_case_once():
    slices = [shard_indices(10, i, 3) for i in (1, 2, 3)]
    assert slices == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    assert parse_shard("2/8") == (2, 8)
    for bad in ("0/2", "3/2", "x", "1/"):
        with pytest.raises(Exception, match="--shard"):
            parse_shard(bad)


@pytest.mark.slow
def test_merged_shards_equal_the_whole_run_and_other_runs_are_refused(capsys, tmp_path, monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text(CONFIG)
    shards = [tmp_path / f"s{i}.h5" for i in (1, 2)]
    for i, shard in enumerate(shards, start=1):
        assert _run(capsys, "run", config, "--out", shard, "--shard", f"{i}/2", "--quiet", "--workers", "1")[0] == 0
    assert [len(read_result(s)) for s in shards] == [2, 1]
    merged, whole = tmp_path / "all.h5", tmp_path / "whole.h5"
    assert _run(capsys, "merge", *shards, "--out", merged)[0] == 0
    monkeypatch.setattr("battsim.cli.SHOWN_ROWS", 2)  # as a sweep too long to print: read in chunks
    status, out = _run(capsys, "run", config, "--out", whole, "--quiet", "--workers", "1")
    assert status == 0 and "... and 1 more cases: battsim show" in out.out and "3 of 3 cases ok" in out.out
    assert _rows(merged) == _rows(whole)  # the config's order, the same metrics
    assert read_result(merged).attrs["cases_total"] == 3 and read_result(shards[0]).attrs["run_cases_total"] == 3
    status, out = _run(capsys, "run", config, "--out", merged, "--workers", "1")  # the run is complete: nothing runs
    assert status == 0 and "resuming" in out.err and "3 of 3 cases already finished" in out.err

    other = tmp_path / "other.toml"
    other.write_text(CONFIG.replace("[25, 15, 5]", "[0]"))
    assert _run(capsys, "run", other, "--out", tmp_path / "o.h5", "--quiet", "--workers", "1")[0] == 0
    status, out = _run(capsys, "merge", shards[0], tmp_path / "o.h5", "--out", tmp_path / "bad.h5")
    assert status == 2 and "holds another run" in out.err and not (tmp_path / "bad.h5").exists()
