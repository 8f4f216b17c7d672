package server_test

// surveyTable holds the permission rows of the survey pages and API.
var surveyTable = []access{}
