"""Intent recognition for the Lex emulator: Lex-like confidence scores from sample utterances.

    recognizer = build_recognizer({"HelloWorld": ["Hello", "My name is {Name}"]}, locale="en_US")
    recognizer.recognize("my name is Alice!")
    # [IntentScore(intent='HelloWorld', score=0.95, slots={'Name': 'Alice'})]

The caller compares the best score with the locale's NluConfidenceThreshold and answers
FallbackIntent below it. `extract_slot_values` reads slot values with an intent's templates alone.
"""

from .recognizer import IntentRecognizer, IntentScore, NluBuildError, build_recognizer
from .templates import MAX_SLOT_WORDS, extract_slot_values

__all__ = [
    "MAX_SLOT_WORDS",
    "IntentRecognizer",
    "IntentScore",
    "NluBuildError",
    "build_recognizer",
    "extract_slot_values",
]
