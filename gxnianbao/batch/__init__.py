"""Stage 8, batches: many files to one dataset, in parallel, resumable."""
