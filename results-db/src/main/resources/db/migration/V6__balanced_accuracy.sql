-- Version 6: own image folders. Scores keep the balanced accuracy (mean per-class recall on the validation images)
-- beside the accuracy, since a folder's classes are rarely balanced; a campaign keeps the description of its dataset
-- (parts, images per class, how a folder was read) for the report.
ALTER TABLE evaluation ADD COLUMN val_bal_acc DOUBLE;
ALTER TABLE campaign ADD COLUMN dataset_summary VARCHAR(20000);
