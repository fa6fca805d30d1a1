# Writes INPUT into OUTPUT as a raw string literal returned by hfa::kbdb::builtin_xml().
file(READ ${INPUT} content)
string(FIND "${content}" ")kbdb\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )kbdb\"")
endif()
file(WRITE ${OUTPUT} "#include <string_view>\nnamespace hfa::kbdb {\nstd::string_view builtin_xml() {\n  static const char text[] = R\"kbdb(${content})kbdb\";\n  return {text, sizeof text - 1};\n}\n}  // namespace hfa::kbdb\n")
