"""Protected files: every uploaded file of every app is checked on the way in (type by content, size,
safe name, unguessable storage name) and served on the way out by one download view that asks the
owning app's access module. Nothing is served from /media/ directly."""
