"""Running the stages: one document's steps, the corpus-wide steps, and a worker pool."""
