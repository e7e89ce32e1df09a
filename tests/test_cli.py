"""`grade` from the command line: exit codes, formats, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from grader import cli

from .conftest import EXERCISES, SOLUTIONS, assert_golden, write_submission


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_everything_passed_exits_0(capsys):
    code, out, err = run(capsys, str(SOLUTIONS))
    assert code == 0
    assert "Total: 100/100" in out
    assert err == ""


def test_something_failed_exits_1(capsys):
    code, out, _ = run(capsys, str(EXERCISES))
    assert code == 1
    assert "Total: 0/100" in out


@pytest.mark.parametrize("argv", [
    ["no/such/folder"],
    ["--bogus"],
    ["--exercise", "nonsense"],
    ["--format", "xml"],
    ["--timeout", "soon"],
    ["--timeout", "-1"],
    [str(SOLUTIONS / "perceptron.py"), "--exercise", "neuron"],
    [str(SOLUTIONS), "--watch", "--format", "json"],
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("grade: error: ")
    assert "Traceback" not in err


def test_json_follows_the_contract(capsys):
    code, out, _ = run(capsys, str(EXERCISES), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert set(data) >= {"score", "max_score", "exercises"}
    assert data["max_score"] == 100
    names = [exercise["name"] for exercise in data["exercises"]]
    assert names == ["dot_product", "activations", "neuron", "perceptron", "xor_network",
                     "universal"]
    for exercise in data["exercises"]:
        assert set(exercise) >= {"name", "score", "max_score", "tests"}
        assert sum(t["max_score"] for t in exercise["tests"]) == exercise["max_score"]
        for test in exercise["tests"]:
            assert set(test) >= {"name", "status", "score", "max_score", "message"}
            assert test["status"] in {"passed", "failed", "error", "timeout"}
            assert isinstance(test["score"], int | float)


def test_hidden_tests_never_show_their_inputs(tmp_path, capsys):
    folder = write_submission(tmp_path / "s", {"dot_product": [
        ("    return sum(", "    print('seen', w, x)\n    return 1 + sum(")]})
    _, out, _ = run(capsys, str(folder), "--exercise", "dot_product", "--format", "json")
    tests = json.loads(out)["exercises"][0]["tests"]
    hidden = [test for test in tests if test["hidden"]]
    assert hidden and all(test["status"] == "failed" for test in hidden)
    for test in hidden:
        assert set(test) & {"call", "expected", "actual", "output"} == set()
        assert "seen" not in json.dumps(test)
    shown = [test for test in tests if not test["hidden"] and test["status"] == "failed"]
    assert shown[0]["call"] and shown[0]["expected"] and "seen" in shown[0]["output"]


def test_one_exercise(capsys):
    code, out, _ = run(capsys, str(SOLUTIONS), "--exercise", "universal")
    assert code == 0
    assert "universal" in out and "dot_product" not in out
    assert "Total: 10/10" in out


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert cli.use_colour(Terminal())
    assert not cli.use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli.use_colour(Terminal())


def test_feedback_matches_the_golden_file(tmp_path, capsys, monkeypatch):
    """A whole run's text, for a submission with a mistake in every exercise."""
    write_submission(tmp_path / "alice", {
        "dot_product": [('    if len(w) != len(x):\n        raise ValueError(f"vectors of '
                         'different lengths: {len(w)} and {len(x)}")\n', "")],
        "activations": [("return max(0, z)", "return abs(z)")],
        "neuron": [("activation(dot(w, x) + b)", "activation(dot(w, x))")],
        "perceptron": [("err = y - predict(w, b, x)", "err = predict(w, b, x) - y")],
        "xor_network": [("    -1.5,\n)", "    -0.5,\n)")],
        "universal": [("from activations import sigmoid", "from activations import sigmoid\n"
                                                          "import numpy")],
    })
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run(capsys, "alice")
    assert code == 1
    assert_golden("alice.txt", out)


def test_python_dash_m_grader_works():
    result = subprocess.run([sys.executable, "-m", "grader", str(SOLUTIONS), "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["score"] == 100


PICTURED = {  # a mistake of each kind that a picture explains
    "activations": [("        return 1.0 / (1.0 + math.exp(-z))",
                     "        return 1.0 / (1.0 + math.exp(z))")],
    "perceptron": [('"AND": ((1, 1), -1.5)', '"AND": ((1, 1), -0.5)')],
    # evaluate's own mistake (a wrong bump would be stood in for by a working one)
    "universal": [("bump(x, left, right, height, steepness) for",
                   "bump(x, left, right, abs(height), steepness) for")],
}


def test_pictures_match_the_golden_file(tmp_path, capsys, monkeypatch):
    """The plane, the mistakes per epoch and the curves, for known mistakes."""
    write_submission(tmp_path / "bob", PICTURED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run(capsys, "bob", "--exercise", "activations")
    for exercise in ("perceptron", "universal"):
        out += run(capsys, "bob", "--exercise", exercise)[1]
    assert_golden("pictures.txt", out)
    assert "AND through your weights:" in out and "XOR: the 1s sit" in out
    assert "sigmoid over [-6, 6]" in out and "sin, and the sum of your 100 bumps" in out


def test_no_pictures_and_the_data_behind_them(tmp_path, capsys):
    folder = write_submission(tmp_path / "bob", PICTURED)
    _, out, _ = run(capsys, str(folder), "--exercise", "perceptron", "--no-pictures")
    assert "through your weights" not in out and "XOR: the 1s" not in out
    _, out, _ = run(capsys, str(folder), "--exercise", "perceptron", "--format", "json")
    tests = json.loads(out)["exercises"][0]["tests"]
    drawn = {t["id"]: t["pictures"] for t in tests if "pictures" in t}
    plane = drawn["test_gate_weights"][0]
    assert plane["kind"] == "plane" and plane["weights"] == [1, 1, -0.5]
    assert [0, 1, 0, 1] in plane["points"]  # (0, 1): expected 0, the weights say 1
    assert "test_train_never_converges_on_xor" in drawn  # the XOR discovery, on a pass
    assert not any(t["hidden"] and "pictures" in t for t in tests)


def test_without_the_kernel_sandbox_grade_grades_and_says_what_is_off(capsys, monkeypatch):
    from grader.boundary import jail

    monkeypatch.setattr(jail, "find", lambda: None)
    code, out, _ = run(capsys, str(SOLUTIONS))
    assert code == 0
    assert "Total: 100/100" in out
    assert out.count("the kernel sandbox (bubblewrap") == 1


def test_without_the_kernel_sandbox_bulk_needs_the_instructor_to_accept_it(
        capsys, monkeypatch, tmp_path):
    from grader.boundary import jail

    monkeypatch.setattr(jail, "find", lambda: None)
    monkeypatch.setattr(sys, "platform", "linux")
    write_submission(tmp_path / "class" / "alice")
    out = tmp_path / "out"
    code, _, err = run(capsys, "bulk", str(tmp_path / "class"), "--out", str(out))
    assert code == 2
    assert "--without-kernel-sandbox" in err and len(err.splitlines()) == 1
    assert not out.exists()
    code, _, _ = run(capsys, "bulk", str(tmp_path / "class"), "--out", str(out),
                     "--without-kernel-sandbox", "--jobs", "1")
    assert code == 0
    assert (out / "results" / "alice.json").exists()


def test_the_untouched_stubs_get_a_line_of_what_to_do_per_exercise(capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run(capsys, str(EXERCISES))
    assert code == 1
    assert "not started: dot is still the stub. Write it in" in out
    assert "layer, xor, XOR_WEIGHTS are still the stub" in out
    assert len(out.splitlines()) < 40 and "ERROR" not in out


def test_grade_inside_the_exercises_folder_grades_the_files_there(capsys, monkeypatch, tmp_path):
    folder = write_submission(tmp_path / "exercises")
    monkeypatch.chdir(folder)
    code, out, _ = run(capsys)
    assert code == 0 and "Total: 100/100" in out


def test_help_names_notebooks_and_the_other_commands(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert ".ipynb" in out
    assert all(command in out for command in ("grade bulk", "grade merge", "grade release"))
