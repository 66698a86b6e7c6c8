"""DemoConfig validates itself, holds enums, and is the single source of the demo CLI's defaults."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from codefrontier.demo.config import DemoConfig, default_help
from codefrontier.episodes.settings import Setting
from codefrontier.errors import CodefrontierError


def test_settings_become_the_enum_and_lists_parse() -> None:
    cfg = DemoConfig(settings=("tool", Setting.AGENT))  # type: ignore[arg-type]
    assert cfg.settings == (Setting.TOOL, Setting.AGENT) and all(isinstance(s, Setting) for s in cfg.settings)
    cfg = DemoConfig().with_flags(lams="-0.5,0,1", levels="1,3", settings="reasoning", n=None, problems="a, b")
    assert cfg.lams == (-0.5, 0.0, 1.0) and cfg.levels == (1, 3) and cfg.settings == (Setting.REASONING,)
    assert cfg.problems == ("a", "b") and cfg.n == DemoConfig().n  # None = not given: the default stays


@pytest.mark.parametrize("bad", [{"n": 0}, {"settings": ("chess",)}, {"lams": (0.5, 1.0)}, {"levels": (0, 2)},
                                 {"temperature": 0.0}, {"batch_size": 0}, {"grpo_lr": 0.0}])
def test_bad_values_are_one_line_errors_with_a_fix(bad: dict) -> None:
    with pytest.raises(CodefrontierError, match=r"demo: .*\(fix: "):
        DemoConfig(**bad)


def test_bad_list_text_names_the_flag() -> None:
    with pytest.raises(CodefrontierError, match="--levels"):
        DemoConfig().with_flags(levels="1,two")


def test_cli_help_shows_the_config_defaults() -> None:
    from codefrontier.cli import app

    assert f"default: {DemoConfig().n}; quick: {DemoConfig.quick_slice().n}" in default_help("n")
    out = CliRunner().invoke(app, ["demo", "--help"], env={"COLUMNS": "300"}).output
    flat = "".join(ch for ch in out if ch.isalnum() or ch in ":;")  # rich wraps and boxes the help
    assert f"Samplesperproblemcheckpointandsettingdefault:{DemoConfig().n};quick:{DemoConfig.quick_slice().n}" in flat


def test_cli_flags_reach_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import codefrontier.demo.pipeline as pipeline
    from codefrontier.cli import app

    seen: list[DemoConfig] = []

    def fake_run(cfg: DemoConfig, log=print) -> dict:
        seen.append(cfg)
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_demo", fake_run)
    CliRunner().invoke(app, ["demo", "--quick", "--out", str(tmp_path), "--n", "5", "--lams", "0,1,2"])
    assert seen[-1].quick and seen[-1].n == 5 and seen[-1].lams == (0.0, 1.0, 2.0)
    assert seen[-1].grpo_steps == DemoConfig.quick_slice().grpo_steps and seen[-1].out == str(tmp_path)
    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--n", "0"])
    assert isinstance(res.exception, CodefrontierError) and "n=0 must be at least 1" in str(res.exception)


def test_level_distances_and_identical_levels_fail(tmp_path: Path) -> None:
    import torch
    from safetensors.torch import save_file

    from codefrontier.demo.pipeline import level_distances
    from codefrontier.train.sweep import level_dir

    for level, w in ((1, torch.zeros(2, 2)), (2, torch.full((2, 2), 0.5)), (4, torch.full((2, 2), 0.5))):
        level_dir(tmp_path, level).mkdir(parents=True)
        save_file({"w": w}, str(level_dir(tmp_path, level) / "model.safetensors"))
    dist = level_distances(tmp_path, [1, 2, 4])
    assert dist == {(1, 2): pytest.approx(1.0), (2, 4): 0.0}  # sqrt(4 * 0.25); identical


def test_default_levels_reward_different_training_problems() -> None:
    """1, K-1, K: on the problems GRPO trains on (held out of the evaluated 24), each pair of consecutive
    default levels must reward a different set of brute-force programs, or the two checkpoints coincide."""
    from codefrontier.demo.pipeline import default_levels, rl_problem_ids, select_problems
    from codefrontier.demo.stages import StageResult
    from codefrontier.problems.builtin import all_specs

    def levels(k: int) -> list[int]:
        return default_levels(StageResult("suite", "", Path("."), 0.0, False, {"max_tiers": k}))

    assert (levels(4), levels(2), levels(1)) == ([1, 3, 4], [1, 2], [1])
    cfg = DemoConfig()
    train = set(rl_problem_ids(cfg, select_problems(cfg)))
    tiers = [s.brute_tier for s in all_specs() if s.id in train]
    lv = levels(4)
    for lo, hi in zip(lv, lv[1:], strict=False):  # brute force passes level lo but not hi: it separates them
        assert sum(lo < t <= hi for t in tiers) >= 3, (lo, hi, sorted(tiers))


def test_a_problem_file_and_a_model_replace_the_suite_and_the_sft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import codefrontier.demo.pipeline as pipeline
    import codefrontier.train.sft as sft
    from codefrontier.problems import save_problems
    from codefrontier.problems.builtin import builtin_problems

    file = tmp_path / "probs.jsonl"
    save_problems(builtin_problems(seed=0, ids=["prefix-sums-01", "hashing-02"]), file)
    cfg = DemoConfig.quick_slice(str(tmp_path / "run")).with_flags(problems=str(file), model="some/init")
    assert cfg.problem_file == str(file) and cfg.problems == () and cfg.model == "some/init"
    assert pipeline.select_problems(cfg) == ["prefix-sums-01", "hashing-02"]
    with pytest.raises(CodefrontierError, match="does not exist"):
        DemoConfig().with_flags(problems=str(tmp_path / "missing.jsonl"))

    def no_sft(*_a: object, **_k: object) -> Path:
        raise AssertionError("SFT ran although --model was given")

    seen: dict[str, object] = {}

    def stop_at_rl(d: Path, cfg: DemoConfig, init: Path, levels: list, ids: list, log: object, problem_file=None):
        seen.update(init=init, problem_file=problem_file, ids=ids)
        raise KeyboardInterrupt

    monkeypatch.setattr(sft, "train_sft", no_sft)
    monkeypatch.setattr(pipeline, "_rl_stage", stop_at_rl)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run_demo(cfg, log=lambda line: None)
    assert seen["init"] == Path("some/init") and seen["ids"] == ["prefix-sums-01", "hashing-02"]
    assert seen["problem_file"] == tmp_path / "run" / "suite" / "problems.jsonl"


def test_grpo_trains_on_held_out_problems_and_the_init_knows_them_all() -> None:
    from codefrontier.demo.pipeline import init_problem_ids, reward_seed, rl_problem_ids, select_problems
    from codefrontier.problems.builtin import all_specs

    cfg = DemoConfig()
    evaluated = select_problems(cfg)
    train = rl_problem_ids(cfg, evaluated)
    assert train and not set(train) & set(evaluated)  # the paper's split: none of GRPO's problems is judged
    assert set(init_problem_ids(cfg, evaluated)) == set(train) | set(evaluated) == {s.id for s in all_specs()}
    assert rl_problem_ids(DemoConfig(heldout=False), evaluated) == evaluated
    every = [s.id for s in all_specs()]
    with pytest.raises(CodefrontierError, match="no built-in problem to train on"):
        rl_problem_ids(cfg, every)
    assert reward_seed(cfg.seed) != cfg.seed and reward_seed(1) != 1  # never the evaluation's hidden tests
