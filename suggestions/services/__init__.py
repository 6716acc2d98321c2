"""Every write of 出点子、吐心声, split by sub-domain. Import from the submodules."""
