"""Running a cycle across the member states: deadlines, response tracking, reminders, notices."""
