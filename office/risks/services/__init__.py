"""Every write of the post risk review. Import from the modules: ``register`` (posts, risks, controls),
``campaigns`` (review campaigns, submitting and deciding reviews), ``incidents`` (incidents and the
repeat rule)."""
