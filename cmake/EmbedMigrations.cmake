# Turns store/migrations/<backend>/NNNN_name.sql files into a C++ source that lists them,
# so the binary carries its schema and runs from any directory.
function(leadline_embed_migrations backend out_var)
  set(dir ${CMAKE_CURRENT_SOURCE_DIR}/store/migrations/${backend})
  file(GLOB files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT files)
  set(body "")
  foreach(f ${files})
    get_filename_component(name ${f} NAME)
    string(SUBSTRING ${name} 0 4 number)
    # "0008" would be an (invalid) octal literal in C++: the version as a plain decimal.
    math(EXPR number "${number}" OUTPUT_FORMAT DECIMAL)
    file(READ ${f} sql)
    string(APPEND body "    {${number}, \"${name}\", R\"LEADLINE_SQL(${sql})LEADLINE_SQL\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
  endforeach()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/migrations_${backend}.cpp)
  file(CONFIGURE OUTPUT ${out} CONTENT
"// Generated from store/migrations/${backend}/ by cmake/EmbedMigrations.cmake.
#include \"store/migrations.h\"
namespace leadline::store {
const std::vector<Migration>& ${backend}_migrations() {
  static const std::vector<Migration> kMigrations = {
${body}  };
  return kMigrations;
}
}  // namespace leadline::store
")
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
