// DeskModels
