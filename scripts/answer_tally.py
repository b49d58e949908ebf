"""Ask our book 30 questions a new reader would ask, offline, and write the answers for grading.

    .venv/bin/python scripts/answer_tally.py [--data-dir DIR] [--questions FILE.yaml] > answers.md

The questions mix how-to, definitions, numbers, lists, course policy, near misses (a named thing the
book never mentions), a follow-up and selections. tests/eval/RUBRIC.md says how each answer is graded;
tests/eval/graded-answers.md holds one run with its grades. `--questions` reads another list (YAML:
`questions: [{question, previous?, selection?}]`, e.g. tests/eval/tally-fresh.yaml) instead of QUESTIONS;
`--half tune|held` keeps one half of it, split by the question's sha256 (tests/eval/tally-round3.yaml).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PASSAGE = (
    "The capture point is the point on the ground where the robot would have to step to come to a "
    "complete stop. It moves with the centre of mass and its velocity: the faster the robot falls, the "
    "further out it lies. If it is inside the support polygon the robot can recover without stepping."
)
# (question, previous question for a follow-up or None, selected passage or None)
QUESTIONS: list[tuple[str, str | None, str | None]] = [
    ("Which strategies do humans and humanoids use to recover balance?", None, None),
    ("What is the penalty for a late lab report?", None, None),
    ("How do I record a bag file and play it back slower?", None, None),
    ("How do I write a launch file that starts two nodes with parameters?", None, None),
    ("What is the difference between a topic and a service?", None, None),
    ("How do I give a QoS profile to a subscriber for sensor data?", None, None),
    ("Why does my robot explode or jitter in Gazebo?", None, None),
    ("How do I add a camera sensor to my robot in Gazebo?", None, None),
    ("What is the zero moment point?", None, None),
    ("How is a locomotion policy trained in Isaac Lab?", None, None),
    ("What should I check before running a trained policy on the real robot?", None, None),
    ("Which Jetson should I buy for the course?", None, None),
    ("How do I convert a URDF to SDF?", None, None),
    ("What does NITROS do?", None, None),
    ("How does Whisper turn speech into robot commands?", None, None),
    ("How should the LLM planner call robot skills?", None, None),
    ("What is domain randomization?", None, None),
    ("How many degrees of freedom does a humanoid leg have?", None, None),
    ("How do I use xacro to avoid duplicating the legs?", None, None),
    ("What is the capstone project?", None, None),
    ("Can I use AI coding assistants in this course?", None, None),
    ("How do I simulate my humanoid in Webots?", None, None),
    ("How do I run ORB-SLAM3 on the robot?", None, None),
    ("How do I train the policy with Stable-Baselines3?", None, None),
    ("And how do I check it in RViz?", "How do I simulate a 16 beam 3D lidar with noise?", None),
    ("What does this mean?", None, PASSAGE),
    ("Summarize this passage", None, PASSAGE),
    ("How do I make a grasp more robust to pose errors?", None, None),
    ("How do I estimate the robot's state from the IMU and joint encoders?", None, None),
    ("Should I train in the cloud or on my own workstation?", None, None),
]


def in_tune_half(question: str) -> bool:
    """The split of a question set into a tune half and a held half, fixed before anything is measured:
    tune when the question's sha256 is even (tests/eval/tally-round3.yaml says so in its header)."""
    import hashlib

    return int(hashlib.sha256(question.encode("utf-8")).hexdigest(), 16) % 2 == 0


def load_questions(path: Path, half: str | None = None) -> list[tuple[str, str | None, str | None]]:
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = [(q["question"], q.get("previous"), q.get("selection")) for q in raw["questions"]]
    if half is None:
        return questions
    return [q for q in questions if in_tune_half(q[0]) == (half == "tune")]


async def main(data_dir: Path | None, questions: list[tuple[str, str | None, str | None]]) -> None:
    from agents import SQLiteSession

    from bookctl.agent import choose_provider, run_turn
    from bookctl.config import load_settings
    from bookctl.index import open_searcher
    from bookctl.ingest import ingest

    settings = load_settings({"site": REPO, **({"data_dir": data_dir} if data_dir else {})}, env={})
    ingest(settings)
    searcher = open_searcher(settings)
    provider = choose_provider(settings)
    try:
        for n, (question, previous, passage) in enumerate(questions, 1):
            memory = SQLiteSession(f"tally-{n}")
            if previous:
                await run_turn(
                    previous, settings=settings, searcher=searcher, provider=provider, memory=memory
                )
            r = await run_turn(
                question,
                settings=settings,
                searcher=searcher,
                provider=provider,
                memory=memory,
                selection=passage,
            )
            print(f"### {n}. {question}\n")
            if previous:
                print(f"(follow-up to: {previous}; searched as: {r.rewritten_query})\n")
            if passage:
                print(f"(selection: {passage[:60]}...)\n")
            print(r.answer.strip() + "\n")
            for c in r.citations:
                print(f"- [{c['n']}] {c['url']} ({c['where']})")
            print("\n**Grade:** \n")
    finally:
        searcher.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--questions", type=Path, help="a YAML list of questions instead of the built-in 30")
    parser.add_argument("--half", choices=["tune", "held"], help="only that half of --questions (by sha256)")
    args = parser.parse_args()
    if args.half and not args.questions:
        parser.error("--half needs --questions")
    asyncio.run(
        main(args.data_dir, load_questions(args.questions, args.half) if args.questions else QUESTIONS)
    )
