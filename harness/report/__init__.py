"""The reporters of a run: terminal, JUnit XML, HTML (with the transcripts), Markdown."""
