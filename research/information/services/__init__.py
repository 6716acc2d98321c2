"""Every write of 信息报送: reports through their stages, timeliness, adoptions and the bulletin."""
