"""Outreach (政策宣讲, 楼道党课, 院落会议, 小马扎课堂): teams of cadres and their activities."""
