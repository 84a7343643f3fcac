"""The colours of entity labels and stance polarities, shared by the pages and the stance plot."""

LABEL_COLOURS = {"ORG": "#7aecec", "LAW": "#ff9561", "EVENT": "#bfe1d9", "POLICY": "#c887fb", "GPE": "#feca74",
                 "PERSON": "#aa9cfc"}
STANCE_COLOURS = {"support": "#1a7f37", "oppose": "#cf222e", "hardline": "#8250df", "conciliatory": "#0969da",
                  "concern": "#bf8700"}
