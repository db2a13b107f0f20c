"""Tests that run in one process: pure logic, services over a temporary database,
handlers through a recording session."""
