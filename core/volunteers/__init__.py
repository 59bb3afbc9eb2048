"""Volunteer teams (银发志愿服务队) and the work orders they take on."""
