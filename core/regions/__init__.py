"""The region tree: district → street → community → grid → compound."""
