"""Project-wide pieces with no models and no app above them: the application error model."""
