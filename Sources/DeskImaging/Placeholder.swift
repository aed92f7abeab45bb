// DeskImaging
