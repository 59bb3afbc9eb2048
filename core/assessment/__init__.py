"""The quarterly three-colour warning (三色预警) of community workers and the cadres'
performance archive (一线实绩档案), both computed from the records, never typed in."""
