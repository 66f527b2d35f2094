"""Normalizers: raw text -> normalized text (NFC, one tone-mark style, clean punctuation),
plus parsers for Vietnamese numbers and dates and vocabulary-driven typo repair."""
