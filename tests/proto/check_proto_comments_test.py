#!/usr/bin/env python3
"""Tests that check_proto_comments.py catches every kind of uncommented declaration."""

import pathlib
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_proto_comments  # noqa: E402

_COMMENTED = """\
syntax = "proto3";

// Package comment.
package demo.v1;

import "google/protobuf/timestamp.proto";

// The service.
service DemoService {
  // The rpc.
  rpc GetThing(GetThingRequest)
      returns (Thing);
}

// The message.
message Thing {
  // A field.
  string name = 1;
  // A repeated field.
  repeated google.protobuf.Timestamp times = 2;
  // A map field.
  map<string, string> labels = 3;
  // An optional field.
  optional double weight = 4;
  // The oneof.
  oneof value {
    // A oneof member.
    string text = 5;
  }
  reserved 6;
}

// The enum.
enum Colour {
  // The zero value.
  COLOUR_UNSPECIFIED = 0;
}

// The request.
message GetThingRequest {
  // Name to get; the URL "http://x" in a string must not confuse the checker.
  string name = 1;
}
"""


def _without_comment_above(text, declaration):
    """Removes the comment block directly above the first line containing `declaration`."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if declaration in line)
    assert lines[index - 1].strip().startswith("//"), declaration
    while lines[index - 1].strip().startswith("//"):
        del lines[index - 1]
        index -= 1
    return "\n".join(lines) + "\n"


class CheckTextTest(unittest.TestCase):

    def test_fully_commented_file_passes(self):
        self.assertEqual(check_proto_comments.check_text(_COMMENTED, "demo.proto"), [])

    def test_each_uncommented_declaration_is_reported(self):
        cases = {
            "service DemoService": "service DemoService",
            "rpc GetThing": "rpc GetThing",
            "message Thing {": "message Thing",
            "string name = 1;": "field name",
            "repeated google.protobuf.Timestamp": "field times",
            "map<string, string>": "field labels",
            "optional double": "field weight",
            "oneof value": "oneof value",
            "string text = 5;": "field text",
            "enum Colour": "enum Colour",
            "COLOUR_UNSPECIFIED = 0;": "enum value COLOUR_UNSPECIFIED",
        }
        for declaration, expected in cases.items():
            with self.subTest(declaration=declaration):
                problems = check_proto_comments.check_text(
                    _without_comment_above(_COMMENTED, declaration), "demo.proto")
                self.assertEqual(len(problems), 1, problems)
                self.assertIn(expected + " has no leading // comment", problems[0])

    def test_blank_line_detaches_the_comment(self):
        text = _COMMENTED.replace("  // A field.\n  string name = 1;",
                                  "  // A field.\n\n  string name = 1;")
        problems = check_proto_comments.check_text(text, "demo.proto")
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("field name", problems[0])

    def test_trailing_or_empty_comment_does_not_count(self):
        text = _without_comment_above(_COMMENTED, "string text = 5;").replace(
            "string text = 5;", "string text = 5;  // trailing")
        text = text.replace("// The enum.\n", "//\n")
        problems = check_proto_comments.check_text(text, "demo.proto")
        self.assertEqual(len(problems), 2, problems)

    def test_unknown_statement_is_reported(self):
        text = _COMMENTED.replace("  reserved 6;", "  frobnicate 6;")
        problems = check_proto_comments.check_text(text, "demo.proto")
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("unrecognised declaration", problems[0])


class RealTreeTest(unittest.TestCase):
    """Removing any one comment from etnik's own contracts makes the check fail."""

    def setUp(self):
        self.source = pathlib.Path(__file__).resolve().parents[2] / "proto"
        self.assertTrue(self.source.is_dir(), self.source)

    def test_real_tree_passes(self):
        self.assertEqual(check_proto_comments.main(["prog", str(self.source)]), 0)

    def test_removing_a_comment_from_the_real_tree_fails(self):
        for relative, declaration in [
                ("etnik/scheduling/v1/scheduling_service.proto", "rpc BookSession"),
                ("etnik/events/v1/domain_event.proto", "string event_id = 1;"),
                ("etnik/registration/v1/application.proto", "APPLICATION_STATE_DRAFT = 1;")]:
            with self.subTest(file=relative), tempfile.TemporaryDirectory() as tmp:
                copy = pathlib.Path(tmp) / "proto"
                shutil.copytree(self.source, copy)
                target = copy / relative
                target.write_text(
                    _without_comment_above(target.read_text(encoding="utf-8"), declaration),
                    encoding="utf-8")
                self.assertEqual(check_proto_comments.main(["prog", str(copy)]), 1)

    def test_no_proto_files_fails(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertEqual(check_proto_comments.main(["prog", tmp]), 1)


if __name__ == "__main__":
    unittest.main()
